"""The end-of-run summary in the terminal: verdict, counts by requirement area, failures."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from spine_conformance.cli.common import stdout
from spine_conformance.reporting.baseline import Comparison

STATUS_STYLE = {"passed": "green", "failed": "bold red", "not-tested": "yellow"}


def area(requirement_id: str) -> str:
    """SSP-HDR-03 -> SSP-HDR, APPT-CREATE-01 -> APPT-CREATE, META-01 -> META."""
    return requirement_id.rsplit("-", 1)[0]


def print_summary(results: dict[str, Any], report_dir: Path, comparison: Comparison | None = None) -> None:
    summary = results["summary"]
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for requirement in results["requirements"]:
        by_area[area(requirement["id"])][requirement["status"]] += 1
    table = Table(title="Requirements by area", show_edge=False)
    for column in ("area", "passed", "failed", "not tested"):
        table.add_column(column, justify="left" if column == "area" else "right")
    for name, counts in by_area.items():
        table.add_row(name, str(counts["passed"]), _red(counts["failed"]), str(counts["not-tested"]))
    stdout.print(table)
    failed = [r for r in results["requirements"] if r["status"] == "failed"]
    for requirement in failed:
        text = escape(f"{requirement['id']} {requirement['title']}: {requirement['reason']}")
        stdout.print(f"[bold red]FAILED[/] {text}", markup=True)
    verdict = "[bold red]FAIL[/]" if summary["failed"] else "[bold green]PASS[/]"
    stdout.print(
        f"{verdict} {escape(results['target']['name'])}: {summary['passed']} passed, {summary['failed']} failed, "
        f"{summary['not_tested']} not tested, {summary['skipped']} skipped "
        f"in {results['duration_s']:.1f} s",
        markup=True,
    )
    if comparison is not None:
        stdout.print(f"Compared with the baseline of {comparison.baseline_started}:")
        for label, ids in (
            ("newly failing", comparison.newly_failing),
            ("newly passing", comparison.newly_passing),
            ("still failing", comparison.still_failing),
            ("scenarios changed", comparison.scenarios_changed),
            ("newly failing scenarios", comparison.newly_failing_scenarios),
        ):
            stdout.print(f"  {label:24} {escape(', '.join(ids)) or 'none'}", markup=True)
    stdout.print(f"Report:  {report_dir / 'report.html'}")
    stdout.print(f"Results: {report_dir / 'results.json'}")


def _red(count: int) -> str:
    return f"[bold red]{count}[/]" if count else "0"
