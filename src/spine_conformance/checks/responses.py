"""Checks on any FHIR HTTP response: status, media type, JSON body, error OperationOutcomes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

from spine_conformance.fhir import outcome_problems
from spine_conformance.fhir.media import XML, format_of
from spine_conformance.findings import CheckFailed, Finding, advise, note_evaluated, require
from spine_conformance.http import HttpResponse, ResponseNotJson
from spine_conformance.requirements import catalogue

FHIR_JSON = "application/fhir+json"


def _body_preview(response: HttpResponse) -> str:
    text = response.body[:200].decode("utf-8", "replace")
    return f"{text}…" if len(response.body) > 200 else text


def describe_statuses(expected: int | Collection[int]) -> str:
    if isinstance(expected, int):
        return f"HTTP {expected}"
    if isinstance(expected, range) and expected.step == 1 and len(expected) == 100 and expected.start % 100 == 0:
        return f"HTTP {expected.start // 100}xx"
    return "HTTP " + " or ".join(str(s) for s in sorted(expected))


def check_status(response: HttpResponse, expected: int | Collection[int], requirement: str, why: str = "") -> None:
    """``why``: the source naming the status, shown with a wrong one (else a preview of the body)."""
    allowed = {expected} if isinstance(expected, int) else set(expected)
    require(
        response.status in allowed,
        requirement,
        describe_statuses(expected),
        f"HTTP {response.status}",
        why or (f"body: {_body_preview(response)}" if response.body else "empty body"),
    )


def check_fhir_json(response: HttpResponse) -> None:
    """HTTP-01: FHIR bodies are served as application/fhir+json."""
    require(
        response.media_type == FHIR_JSON,
        "HTTP-01",
        f"Content-Type {FHIR_JSON}",
        response.headers.get("content-type"),
    )


def parsed_body(response: HttpResponse) -> Any:
    """The body as the JSON dict shape, whether it came as JSON or (by its Content-Type) as FHIR XML."""
    if format_of(response.headers.get("content-type")) == XML:
        from spine_conformance.fhir.xml import FhirXmlError, xml_to_json

        try:
            return xml_to_json(response.body)
        except FhirXmlError as exc:
            raise ResponseNotJson(str(exc)) from None
    return response.json()


def json_body(response: HttpResponse, requirement: str) -> Any:
    """The parsed body (JSON, or FHIR XML read into the same shape), or a finding saying why it is not."""
    try:
        return parsed_body(response)
    except ResponseNotJson as exc:
        raise CheckFailed([Finding(requirement, "a JSON body", str(exc))]) from None


def resource_body(response: HttpResponse, resource_type: str, requirement: str) -> dict[str, Any]:
    body = json_body(response, requirement)
    actual = body.get("resourceType") if isinstance(body, dict) else type(body).__name__
    require(isinstance(body, dict) and actual == resource_type, requirement, f"a {resource_type}", actual)
    return body  # type: ignore[no-any-return]


def check_error_outcome(
    response: HttpResponse, expected_status: int | Collection[int], requirement: str, why: str = ""
) -> None:
    """The request was refused with ``expected_status`` and an OperationOutcome.

    A missing or incomplete OperationOutcome breaks ERR-01 (every 4xx/5xx carries one) and, when
    its own text demands one (``operation_outcome`` in the catalogue), ``requirement`` as well. ERR-01
    is judged on any 4xx/5xx, the expected status or not: a refusal at another status (a finding of
    ``requirement``, which may be advisory) must not let a bodiless error answer pass unjudged. ``why`` is
    the source naming the status.
    """
    findings: list[Finding] = []
    try:
        check_status(response, expected_status, requirement, why)
    except CheckFailed as wrong_status:
        if not 400 <= response.status < 600:
            raise  # not refused at all: there is no error answer to judge
        findings += wrong_status.findings
    try:
        body = parsed_body(response)
    except ResponseNotJson as exc:
        problems = [str(exc)]
    else:
        problems = outcome_problems(body)
    owners = ["ERR-01"]
    known = catalogue().get(requirement)
    if known is not None and known.operation_outcome and requirement != "ERR-01" and not findings:
        owners.insert(0, requirement)
    note_evaluated(*owners)
    if problems:
        expected = "an OperationOutcome with id, issue.severity and issue.code"
        findings += [Finding(owner, expected, "; ".join(problems)) for owner in owners]
    if findings:
        raise CheckFailed(findings)


def check_error_outcome_advised(
    response: HttpResponse, expected_status: int | Collection[int], requirement: str, why: str
) -> None:
    """:func:`check_error_outcome` where ``requirement``'s rule rests on no published source for this case
    (``why``): its findings are advisory; ERR-01's, on an error answer without its OperationOutcome, still fail."""
    try:
        check_error_outcome(response, expected_status, requirement)
    except CheckFailed as failed:
        for finding in failed.findings:
            if finding.requirement == requirement:
                advise(replace(finding, detail="; ".join(part for part in (finding.detail, why) if part)))
        others = [finding for finding in failed.findings if finding.requirement != requirement]
        if others:
            raise CheckFailed(others) from None
