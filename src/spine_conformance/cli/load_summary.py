"""The end of a load run in the terminal: the verdict, each load requirement, the figures, the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from spine_conformance.cli.common import stdout

VERDICT_STYLE = {"PASS": "bold green", "FAIL": "bold red", "INCOMPLETE": "bold yellow", "INTERRUPTED": "bold yellow"}
STATUS_STYLE = {"passed": "green", "failed": "bold red", "error": "bold yellow", "not-tested": "yellow"}


def print_load_summary(results: dict[str, Any], report_dir: Path) -> None:
    load = results.get("load") or {}
    if load.get("interactions"):
        figures = Table(title=f"Requests: {load['requests']} at {load['rps']:g}/s", show_edge=False)
        for column in ("interaction", "requests", "failures", "p50 ms", "p95 ms", "p99 ms"):
            figures.add_column(column, justify="left" if column == "interaction" else "right")
        for row in load["interactions"]:
            figures.add_row(
                row["name"],
                str(row["requests"]),
                str(row["failures"]),
                f"{row['p50_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
            )
        stdout.print(figures)
    verdict = results["verdict"]
    in_scope = [r for r in results["requirements"] if r["in_scope"]]
    if any(r["status"] in ("passed", "failed") for r in in_scope):  # with nothing judged, the errors say why
        _print_requirements(in_scope)
    for error in results.get("errors", []):
        stdout.print(f"[bold yellow]ERROR[/] {escape(error['cause'])}", markup=True)
    status = verdict["status"]
    stdout.print(f"[{VERDICT_STYLE.get(status, 'bold')}]{status}[/] {escape(results['target']['name'])}", markup=True)
    for reason in verdict["reasons"]:
        stdout.print(f"  {escape(reason)}", markup=True)
    stdout.print(f"Report:  {report_dir / 'report.html'}")
    stdout.print(f"Results: {report_dir / 'results.json'}")
    stdout.print(f"Locust:  {report_dir / 'locust'}")


def _print_requirements(requirements: list[dict[str, Any]]) -> None:
    table = Table(title="Load requirements", show_edge=False)
    for column in ("requirement", "level", "status", "reason"):
        table.add_column(column)
    for requirement in requirements:
        status = requirement["status"]
        advisories = len(requirement.get("advisories", []))
        shown = f"{status} ({advisories} advisory)" if advisories else status
        table.add_row(
            requirement["id"],
            requirement["level"],
            Text(shown, style=STATUS_STYLE.get(status, "")),
            requirement.get("reason", ""),
        )
    stdout.print(table)
