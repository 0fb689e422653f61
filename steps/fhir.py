"""FHIR resource steps: validity against STU3 and the CareConnect profiles."""

from __future__ import annotations

from pytest_bdd import then

from spine_conformance.checks.responses import json_body
from spine_conformance.checks.validity import check_valid_resource
from spine_conformance.http import HttpResponse


@then("the resource received is valid STU3 and meets its profile")
def received_resource_valid(response: HttpResponse) -> None:
    body = json_body(response, "VAL-01")
    check_valid_resource(body, "the response body")
