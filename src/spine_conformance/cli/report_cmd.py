"""``spine-conformance report DIR``: re-render every artefact of a run from results.json and its evidence."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from spine_conformance.cli.common import EXIT_FAILED, EXIT_OK, UsageProblem
from spine_conformance.cli.summary import print_summary
from spine_conformance.reporting.render import render_all
from spine_conformance.reporting.run_data import ReportInputError


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("report", help="re-render reports from results.json")
    parser.add_argument("directory", metavar="DIR")
    parser.set_defaults(handler=report)


def report(args: argparse.Namespace) -> int:
    try:
        rendered = render_all(Path(args.directory))
    except ReportInputError as error:
        raise UsageProblem(str(error)) from None
    results = rendered.run.results
    if results.get("command") == "load":  # a load run states its own verdict (advisory findings never fail it)
        from spine_conformance.cli.load_summary import print_load_summary
        from spine_conformance.load.run import EXIT_CODES

        print_load_summary(results, Path(args.directory))
        return EXIT_CODES[results["verdict"]]
    print_summary(results, Path(args.directory), rendered.comparison)
    return EXIT_FAILED if results["summary"]["failed"] else EXIT_OK
