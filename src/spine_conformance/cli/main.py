"""Argument parsing and dispatch; each sub-command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from spine_conformance import __version__

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader closed
EXIT_USAGE = 2  # the same value as cli.common.EXIT_USAGE, without importing that module up front

# Command name → the module that registers and handles it, in the order --help lists them.
# Modules are imported only when their command is used (all of them for the top-level help):
# several import heavy libraries (pytest, FHIR models, templates), and the reference consumer is
# spawned once per action, so it must not pay for them.
COMMAND_MODULES: dict[str, str] = {
    "run": "run_cmd",
    "serve": "serve_cmd",
    "report": "report_cmd",
    "validate": "validate_cmd",
    "token": "token_cmd",
    "requirements": "catalogue_cmd",
    "scenarios": "scenarios_cmd",
    "consumer": "consumer_cmd",
    "load": "load_cmd",
}


def _modules(argv: Sequence[str] | None) -> list[ModuleType]:
    # Top-level options (--help, --version) take no value, so the first other word is the command.
    chosen = next((word for word in argv or () if not word.startswith("-")), None)
    names = [COMMAND_MODULES[chosen]] if chosen in COMMAND_MODULES else list(COMMAND_MODULES.values())
    return [importlib.import_module(f"spine_conformance.cli.{name}") for name in names]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: only its command's module when one is named, otherwise all of them."""
    parser = argparse.ArgumentParser(
        prog="spine-conformance",
        description="Conformance harness for NHS Spine appointments (FHIR STU3 via the SSP) and RTEC.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _modules(argv):
        module.register(commands)
    return parser


def _usage_problem(problem: Exception) -> bool:
    # Imported here: the configuration loader and the console are not needed on the happy path.
    from spine_conformance.cli.common import UsageProblem, console_error
    from spine_conformance.config import ConfigError

    if not isinstance(problem, ConfigError | UsageProblem):
        return False
    console_error(str(problem))
    return True


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:
        # The reader went away (``… | head``): stop quietly, as command-line tools do.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        from spine_conformance.cli.common import console_error

        console_error("interrupted")
        return 130
    except Exception as problem:
        if _usage_problem(problem):
            return EXIT_USAGE
        raise
    return code


if __name__ == "__main__":
    sys.exit(main())
