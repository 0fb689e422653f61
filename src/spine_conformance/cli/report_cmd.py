"""``spine-conformance report DIR``: re-read a run's results.json and show its summary again."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import jsonschema

from spine_conformance.cli.common import EXIT_FAILED, EXIT_OK, UsageProblem
from spine_conformance.cli.summary import print_summary
from spine_conformance.paths import validator
from spine_conformance.results.write import RESULTS_FILE


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("report", help="re-render reports from results.json")
    parser.add_argument("directory", metavar="DIR")
    parser.set_defaults(handler=report)


def report(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    path = directory / RESULTS_FILE
    if not path.is_file():
        raise UsageProblem(f"{path}: no results.json in that folder")
    try:
        results = json.loads(path.read_text("utf-8"))
        validator("results.schema.json").validate(results)
    except (ValueError, jsonschema.ValidationError) as error:
        raise UsageProblem(f"{path} is not a valid results file: {error}") from None
    print_summary(results, directory)
    return EXIT_FAILED if results["summary"]["failed"] else EXIT_OK
