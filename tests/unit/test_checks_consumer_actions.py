"""Judging what a consumer was asked to do (checks.consumer_actions), on recorded requests."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from spine_conformance.checks import consumer_actions as asked
from spine_conformance.checks.consumer_exemption import check_fallback
from spine_conformance.findings import CheckFailed, HarnessError, evaluation
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, SLOT_INCLUDES, SLOT_SERVICE_PARAMETER
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.triggers import ActionResult

BASE = "https://provider.example/STU3/1"
NHS = "9434765919"
SLOT_QUERY = urlencode(
    [
        (SLOT_SERVICE_PARAMETER, "S1"),
        ("status", "free"),
        ("start", "ge2026-12-02T09:00:00+00:00"),
        ("start", "le2026-12-09T09:00:00+00:00"),
        *(("_include", include) for include in SLOT_INCLUDES),
    ]
)


def request(method: str, path: str, query: str = "", status: int = 200, body: Any = None, **kw: Any) -> RecordedRequest:
    raw = f"/{BASE}/{path}"
    recorded = RecordedRequest("ssp", method, raw, query, [], json.dumps(body).encode() if body else b"", time.time())
    recorded.status = status
    for key, value in kw.items():
        setattr(recorded, key, value)
    return recorded


def result(
    exit_code: int | None = 0, output: str = "", timed_out: bool = False, finished_at: float = 0.0
) -> ActionResult:
    return ActionResult(
        "search_slots",
        "command",
        "consumer search-slots",
        exit_code,
        output,
        0.4,
        timed_out,
        finished_at or time.time(),
    )


def test_a_specified_accepted_search_reported_as_done_passes_and_is_judged() -> None:
    with evaluation() as judged:
        asked.check_asked(
            asked.SEARCH_SLOTS, result(), [request("GET", "Slot", SLOT_QUERY)], BASE, asked.slot_search_rules("S1")
        )
    assert "CON-SLOT-01" in judged.evaluated


def findings_of(
    requests: list[RecordedRequest], outcome: ActionResult, asking: asked.Asked, rules: asked.RequestRules
) -> list[str]:
    with pytest.raises(CheckFailed) as raised:
        asked.check_asked(asking, outcome, requests, BASE, rules)
    assert raised.value.requirements == (asking.requirement,)
    return [f.actual for f in raised.value.findings]


def test_a_wrong_query_refused_by_the_provider_and_reported_as_failed_fails_all_three_ways() -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": [{"diagnostics": "bad parameter"}]}
    query = urlencode([("patient", f"https://fhir.nhs.uk/Id/nhs-number|{NHS}")])
    wrong = request("GET", "Appointment", query, status=400, response_body=json.dumps(outcome).encode())
    texts = findings_of([wrong], result(1, "400"), asked.SEARCH_APPOINTMENTS, asked.patient_search_rules(NHS))
    assert any(PATIENT_SEARCH_PARAMETER in text for text in texts)
    assert "HTTP 400: bad parameter" in texts
    assert any(text.startswith("exit status 1") for text in texts)


def test_a_refusal_the_consumer_ignored_still_fails() -> None:
    refused = request("POST", "Appointment", status=422, body={"resourceType": "Appointment", "id": "x"})
    texts = findings_of([refused], result(0), asked.BOOK, asked.booking_rules)
    assert "HTTP 422" in texts


def test_another_interaction_than_the_one_asked_fails() -> None:
    texts = findings_of([request("GET", "metadata")], result(0), asked.SEARCH_SLOTS, asked.slot_search_rules("S1"))
    assert texts[0] == "sent only: read_metadata"


def test_an_ssp_that_could_not_forward_is_an_error_of_the_run() -> None:
    failed = request("GET", "Slot", SLOT_QUERY, status=502, error="the provider could not be reached", forwarded=False)
    with pytest.raises(HarnessError, match="could not be reached"):
        asked.check_asked(asked.SEARCH_SLOTS, result(0), [failed], BASE, asked.slot_search_rules("S1"))


def test_a_consumer_that_sent_nothing_is_an_error_naming_its_output() -> None:
    with pytest.raises(HarnessError, match=r"sent no request .*exit status 2.*usage"):
        asked.require_acted([], result(2, "usage: consumer ..."), "search for free slots")


def test_a_cancel_that_changes_more_than_the_status_fails() -> None:
    current = {
        "resourceType": "Appointment",
        "id": "a1",
        "status": "booked",
        "description": "x",
        "meta": {"versionId": "1"},
    }
    read = request("GET", "Appointment/a1", response_body=json.dumps(current).encode())
    put = request("PUT", "Appointment/a1", body={**current, "status": "cancelled", "description": "y"})
    rules = asked.cancel_rules([read, put], current, BASE)
    texts = findings_of([read, put], result(0), asked.CANCEL, rules)
    assert any("description must not change" in text for text in texts)
    assert rules(request("PUT", "Appointment/a1", body={**current, "status": "cancelled"})) == []


def test_fallback_time_counts_from_the_check_reaching_the_service() -> None:
    """RTEC-CLI-03 measures the consumer's give-up time, not its start-up."""
    arrived = time.time() - 3.0
    check = request("POST", "search", received_at=arrived)
    prompt = result(0, "paper declaration", finished_at=arrived + 1.0)
    check_fallback(prompt, [check], 2.0, "(?i)declaration")  # 1 s after arrival, though the action took longer
    late = result(0, "paper declaration", finished_at=arrived + 2.5)
    with pytest.raises(CheckFailed, match=r"2\.5 s"):
        check_fallback(late, [check], 2.0, "(?i)declaration")
