"""VAL-02: a $validate endpoint answers with an OperationOutcome and rejects an invalid resource."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from spine_conformance.checks.validate_endpoint import check_accepts_valid, check_rejects_invalid
from spine_conformance.fhir import Issue, operation_outcome
from spine_conformance.findings import CheckFailed
from spine_conformance.http import Exchange, HttpResponse

URL = "https://validator.example/STU3/Appointment/$validate"
INFORMATION = [Issue("information", "informational", "No issues detected")]
WARNING = [Issue("warning", "business-rule", "no contained DocumentReference")]
ERROR = [Issue("error", "code-invalid", "status 'not-a-status' is not a valid code", "Appointment.status")]
FATAL = [Issue("fatal", "structure", "not JSON")]


def response(status: int, body: Any) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    exchange = Exchange("$validate", "POST", URL, [], b"{}", 0.0, status=status, response_body=raw)
    return HttpResponse(status, httpx.Headers({"Content-Type": "application/fhir+json"}), raw, URL, exchange)


def outcome(issues: list[Issue]) -> dict[str, Any]:
    return operation_outcome(issues)


def findings(raised: pytest.ExceptionInfo[CheckFailed]) -> list[tuple[str, str, str]]:
    return [(f.requirement, f.expected, f.actual) for f in raised.value.findings]


# -- check_accepts_valid -----------------------------------------------------------------------------
@pytest.mark.parametrize("status", [200, 201])
@pytest.mark.parametrize(
    "issues", [[], INFORMATION, WARNING, INFORMATION + WARNING], ids=["none", "info", "warn", "both"]
)
def test_valid_resource_accepted(status: int, issues: list[Issue]) -> None:
    check_accepts_valid(response(status, outcome(issues)))


def test_outcome_without_spine_profile_or_id_is_accepted() -> None:
    body = operation_outcome(INFORMATION, spine_profile=False)
    del body["id"]  # $validate answers are not error responses, so UEC's id rule does not apply
    check_accepts_valid(response(200, body))


@pytest.mark.parametrize("status", [400, 422, 500])
def test_valid_resource_answered_with_an_error_status(status: int) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_accepts_valid(response(status, outcome(INFORMATION)))
    assert findings(raised) == [("VAL-02", "2xx for a valid resource", f"HTTP {status}")]


def test_valid_resource_answered_with_error_issues() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_accepts_valid(response(200, outcome(INFORMATION + ERROR + FATAL)))
    assert findings(raised) == [
        ("VAL-02", "no error issues for a valid resource", "status 'not-a-status' is not a valid code; not JSON")
    ]


def test_valid_resource_refused_reports_status_and_errors() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_accepts_valid(response(422, outcome(ERROR)))
    assert [expected for _, expected, _ in findings(raised)] == [
        "2xx for a valid resource",
        "no error issues for a valid resource",
    ]


# -- check_rejects_invalid ---------------------------------------------------------------------------
@pytest.mark.parametrize("status", [200, 400, 422])
@pytest.mark.parametrize("issues", [ERROR, FATAL, INFORMATION + ERROR], ids=["error", "fatal", "info-and-error"])
def test_invalid_resource_rejected(status: int, issues: list[Issue]) -> None:
    check_rejects_invalid(response(status, outcome(issues)))


@pytest.mark.parametrize("issues", [INFORMATION, WARNING], ids=["information", "warning"])
def test_invalid_resource_answered_without_error_issues(issues: list[Issue]) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_rejects_invalid(response(200, outcome(issues)))
    [(requirement, expected, actual)] = findings(raised)
    assert (requirement, expected) == ("VAL-02", "at least one error issue for an invalid resource")
    assert actual == f"HTTP 200 with severities ['{issues[0].severity}']"


@pytest.mark.parametrize("status", [500, 503])
def test_invalid_resource_answered_with_a_server_error(status: int) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_rejects_invalid(response(status, outcome(ERROR)))
    assert findings(raised) == [("VAL-02", "a 2xx or 4xx answer", f"HTTP {status}")]


# -- the body is not an OperationOutcome --------------------------------------------------------------
CHECKS = [check_accepts_valid, check_rejects_invalid]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("body", [b"<html>ok</html>", b"", b"\xff\xfe"], ids=["html", "empty", "binary"])
def test_non_json_body(check: Any, body: bytes) -> None:
    with pytest.raises(CheckFailed) as raised:
        check(response(200, body))
    [(requirement, expected, actual)] = findings(raised)
    assert (requirement, expected) == ("VAL-02", "a JSON body")
    assert "not JSON" in actual


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize(
    ("body", "actual"),
    [
        ({"resourceType": "Appointment", "id": "a1", "status": "booked"}, "Appointment"),
        ({"resourceType": "Parameters", "parameter": []}, "Parameters"),
        ({"issue": [{"severity": "error", "code": "invalid"}]}, "(absent)"),
        ([operation_outcome(ERROR)], "list"),
        ("OperationOutcome", "str"),
        (None, "NoneType"),
    ],
    ids=["appointment", "parameters", "no-resource-type", "list", "string", "null"],
)
def test_body_not_an_operation_outcome(check: Any, body: Any, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check(response(400, body))
    assert findings(raised) == [("VAL-02", "an OperationOutcome", actual)]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize(
    ("issues", "problem"),
    [
        ([], "no issue list"),
        ([{"code": "invalid"}], "issue[0] has no severity"),
        ([{"severity": "error"}], "issue[0] has no code"),
        ([{"severity": "error", "code": "oops"}], "issue[0].code 'oops' is not an STU3 issue-type code"),
        (["error"], "issue[0] is not a JSON object"),
    ],
    ids=["no-issues", "no-severity", "no-code", "unknown-code", "issue-not-object"],
)
def test_malformed_operation_outcome(check: Any, issues: list[Any], problem: str) -> None:
    body = {"resourceType": "OperationOutcome", "id": "o1", "issue": issues}
    with pytest.raises(CheckFailed) as raised:
        check(response(400, body))
    [(requirement, expected, actual)] = findings(raised)
    assert (requirement, expected) == ("VAL-02", "a well-formed OperationOutcome")
    assert problem in actual


@pytest.mark.parametrize(
    "issue",
    [{"severity": "information", "code": "invalid-code"}, {"severity": "valid", "code": "informational"}],
    ids=["code", "severity"],
)
def test_malformed_issue_values_containing_id_are_reported(issue: dict[str, str]) -> None:
    body = {"resourceType": "OperationOutcome", "id": "o1", "issue": [issue]}
    with pytest.raises(CheckFailed) as raised:
        check_accepts_valid(response(200, body))
    assert [expected for _, expected, _ in findings(raised)] == ["a well-formed OperationOutcome"]
