"""What a consumer's searches must be (appointments.request_rules)."""

from __future__ import annotations

import pytest

from spine_conformance.appointments.request_rules import Problem, patient_search_problems, slot_search_problems
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, SLOT_INCLUDES, SLOT_SERVICE_PARAMETER

SERVICE = "918999198999"
NHS = "9434765919"
WINDOW = [("start", "ge2026-12-02T09:00:00+00:00"), ("start", "le2026-12-09T09:00:00+00:00")]
SPECIFIED = [(SLOT_SERVICE_PARAMETER, SERVICE), ("status", "free"), *WINDOW, *(("_include", i) for i in SLOT_INCLUDES)]


def normative(problems: list[Problem]) -> list[str]:
    return [p.text for p in problems if not p.advisory]


def test_the_specified_slot_search_has_no_problem() -> None:
    assert slot_search_problems(SPECIFIED, SERVICE) == []


@pytest.mark.parametrize(
    ("query", "snippet"),
    [
        ([p for p in SPECIFIED if p[0] != SLOT_SERVICE_PARAMETER], "exactly one schedule.actor:healthcareservice"),
        ([(k, "999" if k == SLOT_SERVICE_PARAMETER else v) for k, v in SPECIFIED], "not the service asked for"),
        ([p for p in SPECIFIED if p[0] != "status"], "status=free is required"),
        ([(k, "busy" if k == "status" else v) for k, v in SPECIFIED], "status=free is required"),
        ([p for p in SPECIFIED if p[0] != "start"], "one start=ge… and one start=le…"),
        ([p for p in SPECIFIED if p != WINDOW[1]], "one start=ge… and one start=le…"),
        ([("start", "ge2026-12-02") if p == WINDOW[0] else p for p in SPECIFIED], "time zone offset"),
        ([("start", "ge2026-12-02T09:00:00") if p == WINDOW[0] else p for p in SPECIFIED], "time zone offset"),
        ([("start", "ge2026-12-02T09:00:00 00:00") if p == WINDOW[0] else p for p in SPECIFIED], "time zone offset"),
        ([("start", "ge2026-12-19T09:00:00+00:00") if p == WINDOW[0] else p for p in SPECIFIED], "ends before"),
    ],
)
def test_a_slot_search_that_is_not_the_specified_one(query: list[tuple[str, str]], snippet: str) -> None:
    assert any(snippet in text for text in normative(slot_search_problems(query, SERVICE)))


def test_missing_includes_are_only_advisory() -> None:
    """The page lets a consumer pass the _include parameters ("MAY be passed")."""
    problems = slot_search_problems([p for p in SPECIFIED if p[0] != "_include"], SERVICE)
    assert normative(problems) == []
    assert [p.advisory for p in problems] == [True]
    assert "HealthcareService.providedBy" in problems[0].text


def test_the_specified_patient_search_has_no_problem() -> None:
    query = [(PATIENT_SEARCH_PARAMETER, f"https://fhir.nhs.uk/Id/nhs-number|{NHS}")]
    assert patient_search_problems(query, NHS) == []


@pytest.mark.parametrize(
    ("query", "snippet"),
    [
        ([("patient", f"https://fhir.nhs.uk/Id/nhs-number|{NHS}")], "exactly one Appointment.participant"),
        ([(PATIENT_SEARCH_PARAMETER, NHS)], "must be https://fhir.nhs.uk/Id/nhs-number|<NHS number>"),
        ([(PATIENT_SEARCH_PARAMETER, "urn:x|" + NHS)], "must be https://fhir.nhs.uk/Id/nhs-number|"),
        ([(PATIENT_SEARCH_PARAMETER, "https://fhir.nhs.uk/Id/nhs-number|9434765918")], "not a valid NHS number"),
        ([(PATIENT_SEARCH_PARAMETER, "https://fhir.nhs.uk/Id/nhs-number|9000000009")], "another NHS number"),
    ],
)
def test_a_patient_search_that_is_not_the_specified_one(query: list[tuple[str, str]], snippet: str) -> None:
    texts = normative(patient_search_problems(query, NHS))
    assert any(snippet in text for text in texts), texts
    assert all(NHS not in text for text in texts)  # an NHS number is never quoted back


def test_extra_parameters_on_a_patient_search_are_advisory() -> None:
    query = [(PATIENT_SEARCH_PARAMETER, f"https://fhir.nhs.uk/Id/nhs-number|{NHS}"), ("_count", "5")]
    problems = patient_search_problems(query, NHS)
    assert [p.advisory for p in problems] == [True]
