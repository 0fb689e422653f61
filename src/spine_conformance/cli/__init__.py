"""The ``spine-conformance`` command line (DESIGN.md fixes its shape)."""

from spine_conformance.cli.main import main

__all__ = ["main"]
