"""Generic HTTP response steps."""

from __future__ import annotations

from pytest_bdd import parsers, then

from spine_conformance.checks.responses import check_error_outcome, check_fhir_json, check_status
from spine_conformance.http import HttpResponse


@then("the response is served as FHIR JSON")
def response_is_fhir_json(response: HttpResponse) -> None:
    check_fhir_json(response)


@then(parsers.parse("the response status is {status:d} as {requirement} requires"))
def response_status(response: HttpResponse, status: int, requirement: str) -> None:
    check_status(response, status, requirement)


@then(parsers.parse("the request is refused with {status:d} and an OperationOutcome as {requirement} requires"))
def refused_with_outcome(response: HttpResponse, status: int, requirement: str) -> None:
    check_error_outcome(response, status, requirement)
