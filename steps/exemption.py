"""Real Time Exemption Checking steps: the harness as the client of an RTEC service."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from spine_conformance.checks.exemption import (
    check_content_type_refused,
    check_extra_field,
    check_found,
    check_not_found,
    check_refused_naming,
    check_token_refused,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption import negative
from spine_conformance.exemption.client import RtecClient, exempt_request, not_exempt_request
from spine_conformance.http import HttpResponse

EXTRA_FIELD = "pharmacyNote"


@when("the client checks the exemption of the configured exempt patient", target_fixture="response")
def check_exempt_patient(rtec: RtecClient, target: TargetConfig) -> HttpResponse:
    return rtec.send(exempt_request(target))


@when("the client checks the exemption of the configured patient who has none", target_fixture="response")
def check_not_exempt_patient(rtec: RtecClient, target: TargetConfig) -> HttpResponse:
    return rtec.send(not_exempt_request(target), label="exemption search (not exempt)")


@when("the client checks the exempt patient, its fields in another order", target_fixture="response")
def check_reordered(rtec: RtecClient, target: TargetConfig) -> HttpResponse:
    return rtec.send(negative.reordered(exempt_request(target)), label="exemption search (fields reordered)")


@when(parsers.parse("the client checks the exempt patient without the {field} field"), target_fixture="response")
def check_without_field(rtec: RtecClient, target: TargetConfig, field: str) -> HttpResponse:
    return rtec.send(negative.without_field(exempt_request(target), field), label=f"exemption search without {field}")


@when(parsers.parse("the client checks the exempt patient with {defect}"), target_fixture="response")
def check_with_format_defect(rtec: RtecClient, target: TargetConfig, defect: str) -> HttpResponse:
    body, _ = negative.with_format_defect(exempt_request(target), defect)
    return rtec.send(body, label=f"exemption search with {defect}")


@when("the client checks the exempt patient adding an unknown field", target_fixture="response")
def check_with_extra_field(rtec: RtecClient, target: TargetConfig) -> HttpResponse:
    return rtec.send({**exempt_request(target), EXTRA_FIELD: "collect after 5pm"}, label="exemption search + field")


@when("the client sends the exempt patient's request as text/plain", target_fixture="response")
def check_as_text(rtec: RtecClient, target: TargetConfig) -> HttpResponse:
    return rtec.send(exempt_request(target), content_type="text/plain", label="exemption search as text/plain")


@when(parsers.parse("the client checks the exempt patient presenting {defect}"), target_fixture="response")
def check_with_token_defect(rtec: RtecClient, target: TargetConfig, defect: str) -> HttpResponse:
    authorization = negative.token_defect(target.consumer, rtec.url, defect)
    return rtec.send(exempt_request(target), authorization=authorization, label=f"exemption search with {defect}")


@then("the service answers 200 with a message and an exemption type")
def found(response: HttpResponse) -> None:
    check_found(response)


@then("the service answers 404 with a message and a null type")
def not_found(response: HttpResponse) -> None:
    check_not_found(response)


@then(parsers.parse("the service refuses it with 400 naming the missing {field}"))
def refused_naming_missing(response: HttpResponse, field: str) -> None:
    check_refused_naming(response, field)


@then(parsers.parse("the service refuses it with 400 naming the field that has {defect}"))
def refused_naming_malformed(response: HttpResponse, defect: str) -> None:
    normative = defect in negative.NORMATIVE_FORMAT_DEFECTS
    check_refused_naming(response, negative.FORMAT_DEFECT_FIELD[defect], normative=normative)


@then("the service refuses the unknown field by name or answers as if it were not there")
def extra_field(response: HttpResponse) -> None:
    check_extra_field(response, EXTRA_FIELD)


@then("the service refuses a body that is not declared as JSON")
def content_type_refused(response: HttpResponse) -> None:
    check_content_type_refused(response)


@then("the service refuses it with 401")
def token_refused(response: HttpResponse) -> None:
    check_token_refused(response)
