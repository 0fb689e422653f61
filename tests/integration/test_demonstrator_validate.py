"""The demonstrator's $validate endpoint (VAL-02): an OperationOutcome for every answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.fhir import examples
from spine_conformance.http import HarnessHttp, HttpResponse

Json = dict[str, Any]
FHIR_JSON = {"Content-Type": "application/fhir+json"}


def validate(demo: Demonstrator, http: HarnessHttp, resource_type: str, content: bytes) -> HttpResponse:
    return http.send("POST", f"{demo.validate_base_url}/{resource_type}/$validate", headers=FHIR_JSON, content=content)


def dumps(resource: Json) -> bytes:
    return json.dumps(resource).encode()


def test_a_valid_resource_is_answered_200_with_an_outcome_without_errors(
    demo: Demonstrator, harness_http: HarnessHttp
) -> None:
    response = validate(demo, harness_http, "Appointment", dumps(examples.booking_appointment()))

    assert response.status == 200
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert not [issue for issue in body["issue"] if issue["severity"] in ("error", "fatal")]


def test_a_resource_wrapped_in_parameters_is_validated(demo: Demonstrator, harness_http: HarnessHttp) -> None:
    wrapped = {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": examples.patient()}]}

    assert validate(demo, harness_http, "Patient", dumps(wrapped)).status == 200


def test_an_invalid_resource_is_a_422_with_an_operation_outcome(
    demo: Demonstrator, harness_http: HarnessHttp, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    appointment = examples.booking_appointment()
    appointment["status"] = "not-a-status"

    expect_error(validate(demo, harness_http, "Appointment", dumps(appointment)), 422)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-too-deeply"),
        pytest.param(b'{"resourceType":"Parameters","parameter":[]}', id="parameters-without-resource"),
    ],
)
def test_a_body_that_is_not_a_resource_is_a_400(
    demo: Demonstrator,
    harness_http: HarnessHttp,
    expect_error: Callable[[HttpResponse, int], Json],
    content: bytes,
) -> None:
    expect_error(validate(demo, harness_http, "Appointment", content), 400)
