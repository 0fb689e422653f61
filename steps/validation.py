"""$validate steps (VAL-02)."""

from __future__ import annotations

import json

from pytest_bdd import then, when

from spine_conformance.checks.validate_endpoint import check_accepts_valid, check_rejects_invalid
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.examples import booking_appointment
from spine_conformance.findings import NotTestable
from spine_conformance.http import HarnessHttp, HttpResponse


def _post(http: HarnessHttp, target: TargetConfig, resource: dict[str, object], label: str) -> HttpResponse:
    # The resources are synthetic (fhir.examples): a public $validate service never sees the test patient.
    if not target.validate.base_url:
        raise NotTestable(
            "no [validate] base_url is configured; set it to a FHIR base offering $validate "
            "(the built-in validator still checks every resource for VAL-01)"
        )
    url = f"{target.validate.base_url.rstrip('/')}/{resource['resourceType']}/$validate"
    return http.send(
        "POST",
        url,
        headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"},
        content=json.dumps(resource).encode(),
        label=label,
    )


@when("the consumer posts a valid booking Appointment to the $validate endpoint", target_fixture="response")
def post_valid(http: HarnessHttp, target: TargetConfig) -> HttpResponse:
    return _post(http, target, booking_appointment(), "$validate valid")


@when(
    "the consumer posts an Appointment with an invalid status code to the $validate endpoint", target_fixture="response"
)
def post_invalid(http: HarnessHttp, target: TargetConfig) -> HttpResponse:
    body = {**booking_appointment(), "status": "not-a-status"}
    return _post(http, target, body, "$validate invalid")


@then("the endpoint answers with an OperationOutcome without errors")
def valid_accepted(response: HttpResponse) -> None:
    check_accepts_valid(response)


@then("the endpoint answers with an OperationOutcome that reports the error")
def invalid_rejected(response: HttpResponse) -> None:
    check_rejects_invalid(response)
