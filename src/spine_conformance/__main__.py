"""``python -m spine_conformance`` is the same as the ``spine-conformance`` command."""

import sys

from spine_conformance.cli import main

sys.exit(main())
