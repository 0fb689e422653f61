"""The end-of-run summary in the terminal: verdict, counts by requirement area, failures."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from spine_conformance.cli.common import stdout
from spine_conformance.reporting.baseline import Comparison

VERDICT_STYLE = {"PASS": "bold green", "FAIL": "bold red", "INCOMPLETE": "bold yellow", "INTERRUPTED": "bold magenta"}


def area(requirement_id: str) -> str:
    """SSP-HDR-03 -> SSP-HDR, APPT-CREATE-01 -> APPT-CREATE, META-01 -> META."""
    return requirement_id.rsplit("-", 1)[0]


def print_summary(results: dict[str, Any], report_dir: Path, comparison: Comparison | None = None) -> None:
    summary = results["summary"]
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for requirement in results["requirements"]:
        if requirement["in_scope"]:
            by_area[area(requirement["id"])][requirement["status"]] += 1
    table = Table(title="Requirements in scope, by area", show_edge=False)
    for column in ("area", "passed", "failed", "error", "not tested"):
        table.add_column(column, justify="left" if column == "area" else "right")
    for name, counts in by_area.items():
        table.add_row(
            name, str(counts["passed"]), _red(counts["failed"]), _yellow(counts["error"]), str(counts["not-tested"])
        )
    stdout.print(table)
    for error in results.get("errors", []):
        stdout.print(f"[bold yellow]ERROR[/] {escape(error['cause'])} ({error['scenarios']} scenario(s))", markup=True)
    for requirement in results["requirements"]:
        if requirement["status"] == "failed":
            text = escape(f"{requirement['id']} {requirement['title']}: {requirement['reason']}")
            stdout.print(f"[bold red]FAILED[/] {text}", markup=True)
    if not results.get("redacted", True):
        stdout.print(
            "[bold magenta]REDACTION OFF[/] (--no-redact): tokens and patient data appear in every artefact",
            markup=True,
        )
    verdict = results["verdict"]
    style = VERDICT_STYLE[verdict["status"]]
    stdout.print(
        f"[{style}]{verdict['status']}[/] {escape(results['target']['name'])}: {summary['passed']} passed, "
        f"{summary['failed']} failed, {summary['error']} error, {summary['not_tested']} not tested, "
        f"{summary['skipped']} skipped, {summary['advisories']} advisory finding(s) in {results['duration_s']:.1f} s",
        markup=True,
    )
    for reason in verdict["reasons"]:
        stdout.print(f"  {escape(reason)}", markup=True)
    if comparison is not None:
        stdout.print(f"Compared with the baseline of {comparison.baseline_started}:", markup=False)
        for label, ids in comparison.rows():
            stdout.print(f"  {label:24} {escape(', '.join(ids)) or 'none'}", markup=True)
    stdout.print(f"Report:  {report_dir / 'report.html'}")
    stdout.print(f"Results: {report_dir / 'results.json'}")


def _red(count: int) -> Text:
    return Text(str(count), style="bold red" if count else "")


def _yellow(count: int) -> Text:
    return Text(str(count), style="bold yellow" if count else "")
