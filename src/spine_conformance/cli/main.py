"""Argument parsing and dispatch; each sub-command lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from spine_conformance import __version__
from spine_conformance.cli import catalogue_cmd, report_cmd, run_cmd, serve_cmd, token_cmd, validate_cmd
from spine_conformance.cli.common import EXIT_USAGE, UsageProblem, console_error
from spine_conformance.config import ConfigError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spine-conformance",
        description="Conformance harness for NHS Spine appointments (FHIR STU3 via the SSP) and RTEC.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run_cmd, serve_cmd, report_cmd, validate_cmd, token_cmd, catalogue_cmd):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except (ConfigError, UsageProblem) as problem:
        console_error(str(problem))
        return EXIT_USAGE
    except KeyboardInterrupt:
        console_error("interrupted")
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
