"""Spine OperationOutcome: building our own and judging other people's."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from spine_conformance.fhir import (
    ACCESS_DENIED,
    BAD_REQUEST,
    DUPLICATE_REJECTED,
    FHIR_CONSTRAINT_VIOLATION,
    FHIR_JSON,
    INTERNAL_SERVER_ERROR,
    INVALID_PARAMETER,
    INVALID_REQUEST_MESSAGE,
    INVALID_RESOURCE,
    MISSING_OR_INVALID_HEADER,
    NO_RECORD_FOUND,
    NOT_IMPLEMENTED,
    REFERENCE_NOT_FOUND,
    SLOT_NO_LONGER_AVAILABLE,
    SPINE_CODE_DISPLAY,
    SPINE_ERROR_SYSTEM,
    SPINE_OUTCOME_PROFILE,
    UNSUPPORTED_MEDIA_TYPE,
    Issue,
    examples,
    operation_outcome,
    outcome_problems,
    spine_error,
    validate_resource,
)

REQUIRED_CODES = [
    BAD_REQUEST, INVALID_RESOURCE, INVALID_PARAMETER, MISSING_OR_INVALID_HEADER, NO_RECORD_FOUND,
    ACCESS_DENIED, INVALID_REQUEST_MESSAGE, REFERENCE_NOT_FOUND, DUPLICATE_REJECTED, UNSUPPORTED_MEDIA_TYPE,
    INTERNAL_SERVER_ERROR, NOT_IMPLEMENTED, FHIR_CONSTRAINT_VIOLATION,
]  # fmt: skip


def test_constants() -> None:
    assert SPINE_OUTCOME_PROFILE == "https://fhir.nhs.uk/STU3/StructureDefinition/Spine-OperationOutcome-1"
    assert SPINE_ERROR_SYSTEM == "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1"
    assert FHIR_JSON == "application/fhir+json"
    for code in REQUIRED_CODES:
        assert code in SPINE_CODE_DISPLAY
        assert SPINE_CODE_DISPLAY[code]


def test_issue_is_frozen() -> None:
    issue = Issue("error", "invalid", "bad")
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.code = "value"  # type: ignore[misc]
    assert (issue.expression, issue.spine_code) == ("", "")


def test_operation_outcome_shape() -> None:
    issues = [
        Issue("error", "value", "not a valid NHS number", "Patient.identifier[0].value", INVALID_RESOURCE),
        Issue("warning", "informational", "just so you know"),
    ]
    body = operation_outcome(issues)
    assert body["resourceType"] == "OperationOutcome"
    assert uuid.UUID(body["id"])
    assert body["meta"] == {"profile": [SPINE_OUTCOME_PROFILE]}
    first, second = body["issue"]
    assert first == {
        "severity": "error",
        "code": "value",
        "details": {
            "coding": [
                {
                    "system": SPINE_ERROR_SYSTEM,
                    "code": INVALID_RESOURCE,
                    "display": SPINE_CODE_DISPLAY[INVALID_RESOURCE],
                }
            ]
        },
        "diagnostics": "not a valid NHS number",
        "expression": ["Patient.identifier[0].value"],
    }
    assert second == {"severity": "warning", "code": "informational", "diagnostics": "just so you know"}
    assert validate_resource(body).issues == ()


def test_operation_outcome_ids_are_fresh_and_profile_optional() -> None:
    first, second = operation_outcome([]), operation_outcome([], spine_profile=False)
    assert first["id"] != second["id"]
    assert "meta" not in second


def test_empty_issue_list_reads_no_issues_detected() -> None:
    body = operation_outcome([])
    assert body["issue"] == [{"severity": "information", "code": "informational", "diagnostics": "No issues detected"}]
    assert validate_resource(body).issues == ()


@pytest.mark.parametrize(
    ("status", "issue_code"),
    [
        (400, "invalid"), (401, "login"), (403, "forbidden"), (404, "not-found"), (405, "not-supported"),
        (409, "conflict"), (412, "conflict"), (413, "too-costly"), (415, "not-supported"),
        (422, "processing"), (429, "throttled"), (500, "exception"), (502, "transient"), (503, "transient"),
        (504, "transient"), (418, "invalid"), (599, "exception"),
    ],
)  # fmt: skip
def test_spine_error_issue_code_follows_the_status(status: int, issue_code: str) -> None:
    body = spine_error(status, BAD_REQUEST, "diagnostic text")
    (issue,) = body["issue"]
    assert issue["severity"] == "error"
    assert issue["code"] == issue_code
    assert issue["diagnostics"] == "diagnostic text"
    assert issue["details"]["coding"] == [
        {"system": SPINE_ERROR_SYSTEM, "code": BAD_REQUEST, "display": SPINE_CODE_DISPLAY[BAD_REQUEST]}
    ]
    assert outcome_problems(body) == []
    assert validate_resource(body).issues == ()


def test_spine_error_issue_code_override_and_project_conventions() -> None:
    taken = spine_error(422, DUPLICATE_REJECTED, SLOT_NO_LONGER_AVAILABLE, issue_code="duplicate")
    assert taken["issue"][0]["code"] == "duplicate"
    assert taken["issue"][0]["diagnostics"] == "Slot no longer available"
    conflict = spine_error(409, INVALID_REQUEST_MESSAGE, 'If-Match W/"2" does not match version 3')
    assert conflict["issue"][0]["details"]["coding"][0]["code"] == INVALID_REQUEST_MESSAGE
    assert conflict["issue"][0]["code"] == "conflict"


def test_unknown_spine_code_displays_itself() -> None:
    body = spine_error(400, "LOCAL_CODE", "x")
    assert body["issue"][0]["details"]["coding"][0]["display"] == "LOCAL_CODE"


def test_validation_result_outcome_is_a_valid_operation_outcome() -> None:
    appointment = examples.booking_appointment()
    appointment["status"] = "confirmed"
    appointment["supportingInformation"] = [{"reference": "#missing"}]
    result = validate_resource(appointment)
    body = result.outcome()
    assert [issue["expression"] for issue in body["issue"]] == [[i.expression] for i in result.issues]
    assert validate_resource(body).issues == ()
    assert outcome_problems(body) == []
    # A fatal, expression-less issue (bad JSON) still makes a valid outcome.
    fatal = validate_resource(b"{").outcome()
    assert fatal["issue"][0]["severity"] == "fatal"
    assert validate_resource(fatal).issues == ()


def _good() -> dict[str, Any]:
    return spine_error(403, ACCESS_DENIED, "no")


@pytest.mark.parametrize(
    ("body", "snippet"),
    [
        ("not json", "not a JSON object"),
        ([_good()], "not a JSON object"),
        ({**_good(), "resourceType": "Bundle"}, "not 'OperationOutcome'"),
        ({k: v for k, v in _good().items() if k != "id"}, "no id"),
        ({**_good(), "id": ""}, "no id"),
        ({k: v for k, v in _good().items() if k != "issue"}, "no issue list"),
        ({**_good(), "issue": []}, "no issue list"),
        ({**_good(), "issue": ["error"]}, "issue[0] is not a JSON object"),
        ({**_good(), "issue": [{"code": "forbidden"}]}, "issue[0] has no severity"),
        ({**_good(), "issue": [{"severity": "error"}]}, "issue[0] has no code"),
        (
            {**_good(), "issue": [{"severity": "ERROR", "code": "forbidden"}]},
            "issue[0].severity 'ERROR' is not one of",
        ),
        (
            {**_good(), "issue": [{"severity": "error", "code": "ACCESS_DENIED"}]},
            "not an STU3 issue-type code",
        ),
    ],
)
def test_outcome_problems_finds_each_defect(body: Any, snippet: str) -> None:
    problems = outcome_problems(body)
    assert any(snippet in problem for problem in problems), problems


def test_outcome_problems_accepts_a_bare_ssp_outcome() -> None:
    ssp = {
        "resourceType": "OperationOutcome",
        "id": "eb9e0b95",
        "issue": [{"severity": "error", "code": "forbidden"}],
    }
    assert outcome_problems(ssp) == []
