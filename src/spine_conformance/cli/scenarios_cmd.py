"""``spine-conformance scenarios``: list the scenarios and their tags, as a selection would run them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from spine_conformance.cli.common import EXIT_OK, UsageProblem, plain
from spine_conformance.paths import SUITES
from spine_conformance.suite_index import IndexedScenario, indexed_scenarios, suite_of
from spine_conformance.tags import TagExpressionError, parse_tags, unknown_tag_hints


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("scenarios", help="list the scenarios and their tags")
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    parser.add_argument("--tags", default="", help="only the scenarios this tag expression selects")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(handler=list_scenarios)


def selected(suites: list[str], expression: str) -> list[IndexedScenario]:
    """The scenarios of ``suites`` that ``--tags expression`` selects; selecting none is a usage error."""
    try:
        selects = parse_tags(expression) if expression else (lambda tags: True)
    except TagExpressionError as error:
        raise UsageProblem(str(error)) from None
    in_suites = [s for s in indexed_scenarios() if suite_of(s.feature_file) in suites]
    chosen = [s for s in in_suites if selects(s.tags)]
    if expression and not chosen:
        hints = unknown_tag_hints(expression, {tag for s in in_suites for tag in s.tags})
        detail = "; ".join(hints) if hints else "its tags exist, but no scenario has this combination"
        raise UsageProblem(f"no scenario of the {', '.join(suites)} suite(s) matches --tags {expression!r}: {detail}")
    return chosen


def list_scenarios(args: argparse.Namespace) -> int:
    chosen = selected(list(SUITES) if args.suite == "all" else [args.suite], args.tags)
    if args.format == "json":
        rows = [
            {"suite": suite_of(s.feature_file), "feature_file": s.feature_file, "name": s.name, "tags": sorted(s.tags)}
            for s in chosen
        ]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    feature = ""
    for scenario in chosen:
        if scenario.feature_file != feature:
            feature = scenario.feature_file
            plain(f"{suite_of(feature)}: {feature}")
        plain(f"  {scenario.name}  [{' '.join('@' + tag for tag in sorted(scenario.tags))}]")
    plain(f"{len(chosen)} scenario(s)")
    return EXIT_OK
