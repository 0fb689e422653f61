"""Checks on FHIR HTTP responses: status, media type (HTTP-01), JSON bodies and error outcomes (ERR-01)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from spine_conformance.checks.responses import (
    FHIR_JSON,
    check_error_outcome,
    check_error_outcome_advised,
    check_fhir_json,
    check_status,
    json_body,
    resource_body,
)
from spine_conformance.fhir import NO_RECORD_FOUND, spine_error
from spine_conformance.findings import CheckFailed, Finding, evaluation
from spine_conformance.http import Exchange, HttpResponse

URL = "https://provider.example/STU3/1/Appointment/a1"


def response(
    status: int = 200,
    body: bytes | dict[str, Any] | list[Any] = b"",
    content_type: str | None = "application/fhir+json; charset=utf-8",
) -> HttpResponse:
    raw = json.dumps(body).encode() if isinstance(body, dict | list) else body
    headers = httpx.Headers({"Content-Type": content_type} if content_type is not None else {})
    exchange = Exchange("GET", "GET", URL, [], b"", 0.0, status=status, response_body=raw)
    return HttpResponse(status, headers, raw, URL, exchange)


def only_finding(raised: pytest.ExceptionInfo[CheckFailed]) -> Finding:
    assert len(raised.value.findings) == 1
    return raised.value.findings[0]


# -- check_status ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "expected"), [(200, 200), (201, (200, 201)), (409, [409]), (422, {400, 422})])
def test_check_status_passes(status: int, expected: int | tuple[int, ...] | list[int] | set[int]) -> None:
    check_status(response(status), expected, "APPT-READ-01")


def test_check_status_fails_with_the_given_requirement() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_status(response(500, b'{"oops": true}'), 200, "APPT-READ-01")
    found = only_finding(raised)
    assert found.requirement == "APPT-READ-01"
    assert found.expected == "HTTP 200"
    assert found.actual == "HTTP 500"
    assert '{"oops": true}' in found.detail


def test_check_status_lists_every_allowed_status() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_status(response(200), (422, 409), "APPT-CREATE-02")
    assert only_finding(raised).expected == "HTTP 409 or 422"


def test_check_status_empty_body_and_long_body_previews() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_status(response(500), 200, "X-01")
    assert only_finding(raised).detail == "empty body"
    with pytest.raises(CheckFailed) as raised:
        check_status(response(500, b"x" * 1000), 200, "X-01")
    detail = only_finding(raised).detail
    assert detail.endswith("…")
    assert len(detail) < 300


# -- check_fhir_json (HTTP-01) -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "content_type",
    ["application/fhir+json", "application/fhir+json; charset=utf-8", "Application/FHIR+JSON;charset=UTF-8"],
)
def test_check_fhir_json_passes(content_type: str) -> None:
    check_fhir_json(response(content_type=content_type))


@pytest.mark.parametrize(
    ("content_type", "actual"),
    [
        ("application/json", "application/json"),
        ("application/json+fhir", "application/json+fhir"),
        ("text/html", "text/html"),
        ("application/xml+fhir", "application/xml+fhir"),
        (None, "(absent)"),
    ],
)
def test_check_fhir_json_fails_as_http_01(content_type: str | None, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_fhir_json(response(content_type=content_type))
    found = only_finding(raised)
    assert found.requirement == "HTTP-01"
    assert FHIR_JSON in found.expected
    assert found.actual == actual


# -- json_body and resource_body ---------------------------------------------------------------------
def test_json_body_parses() -> None:
    assert json_body(response(body={"resourceType": "Bundle"}), "SLOT-01") == {"resourceType": "Bundle"}
    assert json_body(response(body=[1, 2]), "SLOT-01") == [1, 2]


@pytest.mark.parametrize("body", [b"<html>oops</html>", b"", b"\xff\xfe\x00", b'{"truncated": '])
def test_json_body_not_json_is_a_finding(body: bytes) -> None:
    with pytest.raises(CheckFailed) as raised:
        json_body(response(body=body), "SLOT-01")
    found = only_finding(raised)
    assert found.requirement == "SLOT-01"
    assert found.expected == "a JSON body"
    assert "not JSON" in found.actual


def test_resource_body_returns_the_resource() -> None:
    body = {"resourceType": "Appointment", "id": "a1"}
    assert resource_body(response(body=body), "Appointment", "APPT-READ-01") == body


@pytest.mark.parametrize(
    ("body", "actual"),
    [
        ({"resourceType": "OperationOutcome"}, "OperationOutcome"),
        ({"id": "a1"}, "(absent)"),
        ([{"resourceType": "Appointment"}], "list"),
        ("Appointment", "str"),
        (None, "NoneType"),
    ],
)
def test_resource_body_of_the_wrong_type(body: Any, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        resource_body(response(body=json.dumps(body).encode()), "Appointment", "APPT-READ-01")
    found = only_finding(raised)
    assert found.requirement == "APPT-READ-01"
    assert found.expected == "a Appointment"
    assert found.actual == actual


def test_resource_body_not_json() -> None:
    with pytest.raises(CheckFailed) as raised:
        resource_body(response(body=b"nope"), "Appointment", "APPT-READ-01")
    assert only_finding(raised).requirement == "APPT-READ-01"


# -- check_error_outcome -----------------------------------------------------------------------------
def outcome_body() -> dict[str, Any]:
    return spine_error(404, NO_RECORD_FOUND, "Appointment/x not found")


def test_check_error_outcome_passes() -> None:
    check_error_outcome(response(404, outcome_body()), 404, "APPT-READ-02")
    check_error_outcome(response(422, outcome_body()), (409, 422), "APPT-CREATE-02")


def test_check_error_outcome_wrong_status_names_the_given_requirement() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(200, outcome_body()), 404, "APPT-READ-02")
    found = only_finding(raised)
    assert found.requirement == "APPT-READ-02"
    assert (found.expected, found.actual) == ("HTTP 404", "HTTP 200")


@pytest.mark.parametrize("status", [401, 403, 500])
def test_a_refusal_at_another_status_still_has_its_outcome_judged(status: int) -> None:
    """Observed: a plain-text 403 where 400 was expected (an advisory SSP-HDR-05) left ERR-01 unjudged."""
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(status, b"Forbidden", content_type="text/plain"), 400, "SSP-HDR-05")
    assert [f.requirement for f in raised.value.findings] == ["SSP-HDR-05", "ERR-01"]
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(status, outcome_body()), 400, "SSP-HDR-05")
    assert [f.requirement for f in raised.value.findings] == ["SSP-HDR-05"]  # a proper outcome: status only


@pytest.mark.parametrize(
    "body",
    [
        {"resourceType": "Appointment", "id": "a1"},
        {"resourceType": "OperationOutcome", "id": "o1", "issue": []},
        {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-found"}]},
        {"resourceType": "OperationOutcome", "id": "o1", "issue": [{"code": "not-found"}]},
        {"resourceType": "OperationOutcome", "id": "o1", "issue": [{"severity": "error"}]},
        [outcome_body()],
    ],
    ids=["appointment", "no-issues", "no-id", "no-severity", "no-code", "list"],
)
def test_check_error_outcome_body_not_an_outcome_is_err_01(body: Any) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(409, json.dumps(body).encode()), 409, "CONC-01")
    found = only_finding(raised)
    assert found.requirement == "ERR-01"
    assert "OperationOutcome" in found.expected
    assert found.actual


@pytest.mark.parametrize("body", [b"", b"Not Found", b"<html/>"])
def test_check_error_outcome_body_not_json_is_err_01(body: bytes) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(409, body, content_type="text/plain"), 409, "CONC-01")
    found = only_finding(raised)
    assert found.requirement == "ERR-01"
    assert "not JSON" in found.actual


@pytest.mark.parametrize("body", [b"", b"Not Found", json.dumps({"resourceType": "Appointment"}).encode()])
def test_a_requirement_demanding_an_outcome_fails_with_err_01(body: bytes) -> None:
    """Observed: a 404 without an OperationOutcome passed APPT-READ-02, whose own text demands one."""
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome(response(404, body, content_type="text/plain"), 404, "APPT-READ-02")
    assert raised.value.requirements == ("APPT-READ-02", "ERR-01")


def test_http_response_media_type_and_json() -> None:
    plain = response(body={"a": 1}, content_type="Application/FHIR+JSON ; charset=utf-8")
    assert plain.media_type == "application/fhir+json"
    assert plain.json() == {"a": 1}
    assert response(content_type=None).media_type == ""


def test_a_rule_resting_on_no_source_for_this_case_only_advises() -> None:
    """The patient appointment search's scope is unpublished: accepting another one is advisory."""
    accepted = response(200, {"resourceType": "Bundle", "type": "searchset"})
    with evaluation() as judged:
        check_error_outcome_advised(accepted, 403, "JWT-08", "the scope is not published")
    [advisory] = judged.advisories
    assert advisory.requirement == "JWT-08" and "not published" in advisory.detail
    bare = response(401, b"no", content_type="text/plain")  # refused, but without its OperationOutcome
    with pytest.raises(CheckFailed) as raised:
        check_error_outcome_advised(bare, 403, "JWT-08", "the scope is not published")
    assert [f.requirement for f in raised.value.findings] == ["ERR-01"]
    check_error_outcome_advised(response(403, outcome_body()), 403, "JWT-08", "unused")
