"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from spine_conformance.config import load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.config.rules import FIELD_RULES
from spine_conformance.results.identification import IDENTIFICATION_KEYS

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

# No markup unless a call asks for it: user and target text ("[/x]" in a path, a TOML key, a
# server's message) must never be read as rich markup. Calls that style text escape what they quote.
stdout = Console(highlight=False, soft_wrap=True, markup=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


class UsageProblem(Exception):
    """A usage or configuration problem: reported in one message, exit code 2, no traceback."""


def console_error(message: str) -> None:
    stderr.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False)


def optional_config(path: str | None) -> TargetConfig | None:
    return load_config(path) if path else None


def plain(text: str) -> None:
    """Print text exactly (no markup interpretation), e.g. TOML or a token."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def default_report_dir(suffix: str = "") -> Path:
    return Path("reports") / (datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + suffix)


def prepare_report_dir(path: Path) -> Path:
    """Create the report folder and prove it writable now, before a run spends time it cannot record."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageProblem(f"--report-dir {path}: cannot write there ({reason})") from None
    return path


def point_latest(report_dir: Path) -> None:
    """reports/latest -> this run (best effort: some file systems have no symlinks)."""
    latest = report_dir.parent / "latest"
    try:
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(report_dir.name, target_is_directory=True)
    except OSError:
        pass


def add_identification_options(parser: argparse.ArgumentParser) -> None:
    """``--run-id``, ``--tester`` …: the report's identification, overriding the target's [assurance]."""
    group = parser.add_argument_group("identification (printed in the reports; overrides [assurance])")
    for key in IDENTIFICATION_KEYS:
        group.add_argument(f"--{key.replace('_', '-')}", dest=f"assurance_{key}", default="", metavar="TEXT")


def identification_overrides(args: argparse.Namespace) -> dict[str, str]:
    """The identification options given, checked by the same rules as their [assurance] keys."""
    given = {key: getattr(args, f"assurance_{key}", "") for key in IDENTIFICATION_KEYS}
    problems = [
        f"--{key.replace('_', '-')}: {problem}"
        for key, value in given.items()
        if value and (problem := FIELD_RULES[f"assurance.{key}"](value))
    ]
    if problems:
        raise UsageProblem("; ".join(problems))
    return {key: value for key, value in given.items() if value}
