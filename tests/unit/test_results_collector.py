"""How a scenario's ending becomes its record (results.collector.scenario_record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from spine_conformance.findings import CheckFailed, Finding, HarnessError, NotTestable, evaluation, note_evaluated
from spine_conformance.results.collector import scenario_record, unfinished_record
from spine_conformance.results.records import ERROR, FAILED, NOT_RUN, NOT_TESTED, PASSED

INFO = {
    "id": "s-1",
    "feature": "F",
    "feature_file": "features/x.feature",
    "name": "S",
    "tags": ["req:CONC-01"],
    "requirements": ["CONC-01"],
}


@dataclass
class Report:  # the parts of pytest.TestReport the record reads
    passed: bool
    skipped: bool = False
    when: str = "call"
    longreprtext: str = ""
    longrepr: Any = None


def ended_with(error: BaseException | None) -> Any:
    def run() -> None:
        note_evaluated("CONC-01")
        if error is not None:
            raise error

    with evaluation() as judged:
        call = pytest.CallInfo.from_call(run, when="call")
    report = Report(passed=error is None)
    return scenario_record(INFO, call, report, judged, "Then it is refused", [])  # type: ignore[arg-type]


def test_a_scenario_that_ran_through_passed_and_judged_its_requirement() -> None:
    record = ended_with(None)
    assert (record.status, record.evaluated) == (PASSED, ["CONC-01"])


def test_a_normative_finding_fails_it() -> None:
    record = ended_with(CheckFailed([Finding("CONC-01", "HTTP 409", "HTTP 200")]))
    assert record.status == FAILED
    assert record.findings[0]["requirement"] == "CONC-01"
    assert record.message.startswith("Then it is refused: [CONC-01] expected HTTP 409")


def test_a_finding_of_a_should_or_unsourced_requirement_is_advisory_and_fails_nothing() -> None:
    record = ended_with(CheckFailed([Finding("SSP-HDR-05", "HTTP 400", "HTTP 200"), Finding("RTEC-REQ-04", "x", "y")]))
    assert record.status == PASSED
    assert record.findings == []
    assert [(a["requirement"], a["severity"]) for a in record.advisories] == [
        ("SSP-HDR-05", "advisory"),
        ("RTEC-REQ-04", "advisory"),
    ]


def test_mixed_findings_fail_on_the_normative_one_only() -> None:
    record = ended_with(CheckFailed([Finding("CONC-01", "a", "b"), Finding("APPT-CANCEL-03", "c", "d")]))
    assert record.status == FAILED
    assert [f["requirement"] for f in record.findings] == ["CONC-01"]
    assert [a["requirement"] for a in record.advisories] == ["APPT-CANCEL-03"]


def test_a_harness_error_is_an_error_with_its_cause_never_a_failure() -> None:
    record = ended_with(HarnessError("https://p/metadata: connection refused", "https://p:443: connection refused"))
    assert (record.status, record.cause, record.findings) == (ERROR, "https://p:443: connection refused", [])


def test_a_defect_in_a_step_is_an_error_of_the_run() -> None:
    record = ended_with(KeyError("response"))
    assert record.status == ERROR
    assert "KeyError" in record.error and record.cause.startswith("a defect in the harness")


def test_not_testable_is_not_tested_with_the_reason() -> None:
    record = ended_with(NotTestable("no free slot"))
    assert (record.status, record.message) == (NOT_TESTED, "no free slot")


def test_scenarios_that_never_ran_are_accounted_for() -> None:
    assert unfinished_record(INFO, interrupted=True).message == NOT_RUN
    lost = unfinished_record(INFO, interrupted=False)
    assert lost.status == ERROR and "worker" in lost.cause
