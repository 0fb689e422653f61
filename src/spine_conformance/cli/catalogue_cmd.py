"""``spine-conformance requirements``: list the requirement catalogue."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict
from typing import Any

from rich.table import Table

from spine_conformance.cli.common import EXIT_OK, stdout
from spine_conformance.requirements import catalogue


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("requirements", help="list the requirement catalogue")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.set_defaults(handler=list_requirements)


def list_requirements(args: argparse.Namespace) -> int:
    requirements = list(catalogue().values())
    if args.format == "json":
        json.dump([asdict(r) for r in requirements], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "level", "interface", "roles", "title", "source"])
        for r in requirements:
            writer.writerow([r.id, r.level, r.interface, " ".join(r.roles), r.title, r.source])
    else:
        table = Table(show_lines=False)
        for column in ("ID", "Level", "Requirement", "Source"):
            table.add_column(column, overflow="fold")
        for r in requirements:
            table.add_row(r.id, r.level, r.title, r.source)
        stdout.print(table)
    return EXIT_OK
