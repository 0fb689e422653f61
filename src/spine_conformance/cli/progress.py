"""A live line per scenario in the terminal (rich), in place of pytest's dots."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from rich.markup import escape

from spine_conformance.cli.common import stderr, stdout
from spine_conformance.redact import Redactor
from spine_conformance.results.records import ERROR, FAILED, NOT_TESTED, PASSED, USER_PROPERTY

MARKS = {PASSED: "[green]✓[/]", FAILED: "[bold red]✗[/]", ERROR: "[bold yellow]![/]", NOT_TESTED: "[yellow]○[/]"}


class ScenarioProgress:
    """Registered by ``spine-conformance run`` (pytest's own terminal output is switched off)."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.done = 0
        self.total = 0
        self.collection_errors = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)
        stdout.print(f"{self.total} scenarios selected")
        self._warn_if_unredacted()

    def _warn_if_unredacted(self) -> None:
        if not self.redactor.enabled:
            stderr.print(
                "[bold magenta]REDACTION OFF[/] (--no-redact): tokens and patient data will be shown", markup=True
            )

    @pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown when pytest-xdist is not loaded
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        # With -n the workers collect; every worker collects the same scenarios.
        if not self.total:
            self.total = len(ids)
            stdout.print(f"{self.total} scenarios selected")
            self._warn_if_unredacted()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors += 1
            stderr.print(f"[bold red]cannot collect {escape(report.nodeid)}[/]", markup=True)
            stderr.print(self.redactor.text(report.longreprtext), markup=False)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == USER_PROPERTY and isinstance(value, str):
                self._line(json.loads(value))

    def _line(self, record: dict[str, Any]) -> None:
        self.done += 1
        mark = MARKS.get(record["status"], "[dim]-[/]")
        text = f"{record['name']} ({record['duration_s']:.2f} s)"
        if record["advisories"]:
            text += f" [{len(record['advisories'])} advisory]"
        if record["status"] != PASSED and record["message"]:
            text += " — " + self.redactor.text(record["message"])[:300]
        stdout.print(f"{mark} [dim]{self.done:>4}/{self.total}[/] {escape(text)}", markup=True, highlight=False)

    def pytest_warning_recorded(
        self, warning_message: warnings.WarningMessage, when: str, nodeid: str, location: object
    ) -> None:
        # e.g. bookings that could not be cancelled on a shared target: the tester must hear of them.
        if issubclass(warning_message.category, UserWarning) and "spine_conformance" in str(warning_message.filename):
            stderr.print(f"[yellow]warning[/] {escape(self.redactor.text(str(warning_message.message)))}", markup=True)

    def pytest_internalerror(self, excrepr: object) -> None:
        stderr.print(self.redactor.text(str(excrepr)), markup=False)
