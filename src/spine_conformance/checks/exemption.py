"""Checks on an RTEC service's answers (RTEC-RES-01…04, and its enforcement of RTEC-REQ-01…03)."""

from __future__ import annotations

from typing import Any

from spine_conformance.checks.responses import check_status, json_body
from spine_conformance.exemption.vocabulary import is_exemption_type, meaning
from spine_conformance.findings import CheckFailed, Finding, require
from spine_conformance.http import HttpResponse
from spine_conformance.paths import validator


def _schema_findings(body: Any, schema: str, requirement: str) -> list[Finding]:
    return [
        Finding(
            requirement, f"a body matching {schema}", f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
        )
        for e in validator(schema).iter_errors(body)
    ]


def check_found(response: HttpResponse) -> str:
    """RTEC-RES-01: 200 with {message, type}; the type is an exemption code. Returns its meaning."""
    check_status(response, 200, "RTEC-RES-01")
    body = json_body(response, "RTEC-RES-01")
    findings = _schema_findings(body, "rtec-found.schema.json", "RTEC-RES-01")
    if findings:
        raise CheckFailed(findings)
    require(is_exemption_type(body["type"]), "RTEC-RES-01", "a four-digit exemption type", body["type"])
    return meaning(body["type"])


def check_not_found(response: HttpResponse) -> None:
    """RTEC-RES-02: 404 with a message and a null type."""
    check_status(response, 404, "RTEC-RES-02")
    body = json_body(response, "RTEC-RES-02")
    findings = _schema_findings(body, "rtec-error.schema.json", "RTEC-RES-02")
    if findings:
        raise CheckFailed(findings)


def check_refused_naming(response: HttpResponse, field: str, enforced_by: str) -> None:
    """400 naming ``field`` (RTEC-RES-03); answering at all breaks the rule ``enforced_by`` protects."""
    require(
        response.status == 400,
        enforced_by,
        f"the request refused with 400 because of {field}",
        f"HTTP {response.status}",
    )
    body = json_body(response, "RTEC-RES-03")
    findings = _schema_findings(body, "rtec-error.schema.json", "RTEC-RES-03")
    if findings:
        raise CheckFailed(findings)
    message = str(body.get("message", ""))
    require(names_field(message, field), "RTEC-RES-03", f"a message naming {field}", message)


# How a service may name a field in its message ("Please provide a valid {field}", errors.md).
FIELD_NAMES = {
    "dob": ("dob", "date of birth", "birth date", "dateofbirth"),
    "nhsNumber": ("nhsnumber", "nhs number", "nhs no"),
    "postcode": ("postcode", "post code", "postal code"),
    "surname": ("surname", "family name", "last name"),
    "prescriptionId": ("prescriptionid", "prescription id", "prescription"),
}


def names_field(message: str, field: str) -> bool:
    text = " ".join(message.lower().replace("_", " ").replace("-", " ").split())
    return any(name in text or name in text.replace(" ", "") for name in FIELD_NAMES.get(field, (field.lower(),)))


def check_extra_field(response: HttpResponse, field: str) -> None:
    """An unknown extra field is either refused by name (400) or ignored (the patient is still found)."""
    if response.status == 400:
        check_refused_naming(response, field, "RTEC-REQ-01")
        return
    require(
        response.status == 200,
        "RTEC-REQ-01",
        f"400 naming {field}, or the answer the request gets without it (200)",
        f"HTTP {response.status}",
    )
    check_found(response)


def check_content_type_refused(response: HttpResponse) -> None:
    """RTEC-REQ-01: the request is a JSON POST; a body declared as anything else is refused."""
    require(
        response.status in (400, 415),
        "RTEC-REQ-01",
        "415 (or 400) for a body that is not declared JSON",
        f"HTTP {response.status}",
    )


def check_token_refused(response: HttpResponse) -> None:
    """Without a valid token the search is refused (RTEC-REQ-03), with 401 (RTEC-RES-04)."""
    require(
        response.status >= 400 and response.status != 404,
        "RTEC-REQ-03",
        "the search refused without a valid bearer token",
        f"HTTP {response.status} (answered normally)",
    )
    require(response.status == 401, "RTEC-RES-04", "HTTP 401", f"HTTP {response.status}")
