"""Answers under load judged by the suites' checks, each finding charged to its load requirement."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx

from spine_conformance.fhir import NO_RECORD_FOUND, spine_error
from spine_conformance.findings import Finding
from spine_conformance.http import Exchange, HttpResponse
from spine_conformance.load import judging
from spine_conformance.load.requirement_map import (
    LOAD_REQUIREMENTS,
    load_requirement_for,
    suite_requirement_of,
    under_load,
)

BASE = "https://provider.example/STU3/1"
FHIR_JSON = "application/fhir+json"


def response(status: int, body: dict[str, Any] | bytes = b"", content_type: str = FHIR_JSON) -> HttpResponse:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = httpx.Headers({"Content-Type": content_type} if raw else {})
    exchange = Exchange("read", "GET", f"{BASE}/Appointment/a1", [], b"", 0.0, status=status, response_body=raw)
    return HttpResponse(status, headers, raw, exchange.url, exchange)


def test_each_variant_has_its_load_requirement_and_the_rest_are_interaction_rules() -> None:
    assert [load_requirement_for(r) for r in ("CONC-04", "CONC-03", "ERR-01", "HTTP-01")] == [
        "LOAD-01",
        "LOAD-02",
        "LOAD-04",
        "LOAD-05",
    ]
    assert load_requirement_for("APPT-CREATE-01") == load_requirement_for("VAL-01") == "LOAD-07"
    assert len(set(LOAD_REQUIREMENTS)) == 8


def test_under_load_keeps_the_suite_requirement_in_the_detail() -> None:
    finding = under_load(Finding("APPT-READ-01", "ETag", "(absent)", "read"))
    assert finding == Finding("LOAD-07", "ETag", "(absent)", "APPT-READ-01 under load: read")
    assert suite_requirement_of(finding.detail) == "APPT-READ-01"
    assert suite_requirement_of("racing bookings") == ""


def test_a_good_error_answer_breaks_nothing() -> None:
    assert judging.common_findings(response(404, spine_error(404, NO_RECORD_FOUND, "no such"))) == []


def test_an_error_without_an_operation_outcome_breaks_load_04() -> None:
    findings = judging.common_findings(response(409, b"conflict", "text/plain"))
    assert {f.requirement for f in findings} == {"LOAD-04", "LOAD-05"}


def test_a_server_error_breaks_load_06_as_well() -> None:
    findings = judging.common_findings(response(500, spine_error(500, "INTERNAL_SERVER_ERROR", "boom")))
    assert [f.requirement for f in findings] == ["LOAD-06"]
    assert findings[0].actual == "HTTP 500"


def test_a_booking_taken_meanwhile_is_a_normal_answer_under_load() -> None:
    assert judging.booking(response(422, spine_error(422, "DUPLICATE_REJECTED", "taken")), BASE, "S1", 422) == (
        None,
        [],
    )


def test_a_booking_answered_with_another_status_breaks_the_create_rule() -> None:
    value, findings = judging.booking(response(200, {"resourceType": "Appointment"}), BASE, "S1", 422)
    assert value is None
    assert [(f.requirement, suite_requirement_of(f.detail)) for f in findings] == [("LOAD-07", "APPT-CREATE-01")]


def test_a_race_with_two_winners_names_what_was_raced_for() -> None:
    (finding,) = judging.race_findings([201, 201, 422], 201, 422, "CONC-04", "racing bookings of Slot/S1")
    assert finding.requirement == "LOAD-01"
    assert finding.actual == "2× 201, 1× 422 in racing bookings of Slot/S1"


def test_a_race_with_one_winner_is_fine() -> None:
    assert judging.race_findings([200, 409, 409], 200, 409, "CONC-03", "x") == []


def test_validation_samples_the_first_of_each_kind_then_a_share() -> None:
    sampler = judging.ValidationSampler(0.0, random.Random(1))
    assert [sampler.wants("search_slot") for _ in range(4)] == [True, True, False, False]
    assert sampler.wants("read_appointment")
    everything = judging.ValidationSampler(1.0, random.Random(1))
    assert all(everything.wants("search_slot") for _ in range(10))


def test_an_invalid_body_breaks_the_interaction_rules_and_a_non_resource_is_not_validated() -> None:
    validated, findings = judging.validation_findings(response(200, {"resourceType": "Appointment"}), "read")
    assert validated is True
    assert {(f.requirement, suite_requirement_of(f.detail)) for f in findings} == {("LOAD-07", "VAL-01")}
    assert judging.validation_findings(response(200, b"not json"), "read") == (None, [])
