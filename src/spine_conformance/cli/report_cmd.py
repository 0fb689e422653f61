"""``spine-conformance report DIR``: re-render every artefact of a run from results.json and its evidence."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from spine_conformance.cli.common import UsageProblem
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
    except PermissionError as error:
        raise UsageProblem(f"{args.directory}: cannot write the reports there ({error.strerror})") from None
    results = rendered.run.results
    if results.get("command") == "load":  # a load run prints its own figures with the verdict
        from spine_conformance.cli.load_summary import print_load_summary

        print_load_summary(results, Path(args.directory))
    else:
        print_summary(results, Path(args.directory), rendered.comparison)
    return int(results["verdict"]["exit_code"])
