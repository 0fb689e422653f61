"""Checks on an RTEC service's answers (RTEC-RES-01…04, and its enforcement of RTEC-REQ-01…03)."""

from __future__ import annotations

from typing import Any

from spine_conformance.checks.responses import check_status, json_body
from spine_conformance.exemption.vocabulary import is_exemption_type, meaning
from spine_conformance.findings import ADVISORY, NORMATIVE, CheckFailed, Finding, FindingCollector, require
from spine_conformance.http import HttpResponse, ResponseNotJson
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
    """RTEC-RES-02: 404; the body's shape ({message, type: null}) is only the page's example, so advisory."""
    check_status(response, 404, "RTEC-RES-02")
    out = FindingCollector()
    body = _json_or_none(response)
    if body is None:
        out.add("RTEC-RES-02", "a JSON body {message, type}", _body_text(response), severity=ADVISORY)
    else:
        for finding in _schema_findings(body, "rtec-error.schema.json", "RTEC-RES-02"):
            out.add(finding.requirement, finding.expected, finding.actual, severity=ADVISORY)
    out.raise_if_any()


def _body_text(response: HttpResponse) -> str:
    return response.body[:120].decode("utf-8", "replace") or "(empty body)"


def check_refused_naming(response: HttpResponse, field: str, *, normative: bool = True) -> None:
    """RTEC-RES-03: an invalid request is refused with 400; naming ``field`` in the message is advisory.

    errors.md allows "Please provide a valid request" as well as "Please provide a valid {field list}",
    and publishes no per-field validation rules: ``normative`` says whether the contract itself makes
    this request invalid (a missing field, a dob that is not a date).
    """
    out = FindingCollector()
    status_ok = out.expect(
        response.status == 400,
        "RTEC-RES-03",
        f"the request refused with 400 because of {field}",
        f"HTTP {response.status}",
        severity=NORMATIVE if normative else ADVISORY,
    )
    if status_ok:
        body = _json_or_none(response)
        message = str(body.get("message", "")) if isinstance(body, dict) else ""
        out.expect(
            names_field(message, field),
            "RTEC-RES-03",
            f"a message naming {field} (Please provide a valid {field})",
            message or "(no message)",
            severity=ADVISORY,
        )
    out.raise_if_any()


def _json_or_none(response: HttpResponse) -> Any:
    try:
        return response.json()
    except ResponseNotJson:
        return None


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
    """An unknown extra field is refused by name (400) or ignored (200): advisory, no source says which."""
    if response.status == 400:
        check_refused_naming(response, field, normative=False)
        return
    out = FindingCollector()
    out.expect(
        response.status == 200,
        "RTEC-RES-03",
        f"400 naming {field}, or the answer the request gets without it (200)",
        f"HTTP {response.status}",
        severity=ADVISORY,
    )
    out.raise_if_any()


def check_content_type_refused(response: HttpResponse) -> None:
    """A body not declared JSON is refused (415, or 400): advisory, the swagger only declares JSON."""
    out = FindingCollector()
    out.expect(
        response.status in (400, 415),
        "RTEC-RES-03",
        "415 (or 400) for a body that is not declared JSON",
        f"HTTP {response.status}",
        severity=ADVISORY,
    )
    out.raise_if_any()


def check_token_refused(response: HttpResponse) -> None:
    """RTEC-RES-04: without a valid token the search is refused with 401 (RFC 6750 §3.1)."""
    served = " (the search was answered without a valid token)" if response.status in (200, 404) else ""
    require(response.status == 401, "RTEC-RES-04", "HTTP 401", f"HTTP {response.status}{served}")
