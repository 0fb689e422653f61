"""Content negotiation checks (HTTP-02, HTTP-03, HTTP-04 and the packs' format rules).

An answer is judged in the format that was asked for: its Content-Type must name that format's FHIR
media type and its body must read as that format. The body is then handed on in the JSON dict shape,
so every other check (and the validator) judges an XML answer exactly as a JSON one.
"""

from __future__ import annotations

import json
from typing import Any

from spine_conformance.fhir.media import FHIR_XML, JSON, MIME_OF, XML, charset, declared_formats
from spine_conformance.fhir.xml import FhirXmlError, xml_to_json
from spine_conformance.findings import CheckFailed, Finding, FindingCollector, NotTestable, require
from spine_conformance.http import HttpResponse

# Assurance profiles whose packs mandate XML as well as JSON (a target selecting one must serve XML).
XML_MANDATED_BY = {"tkw": "TKW-FORMAT-01"}


def check_format(response: HttpResponse, fmt: str, requirement: str, *, success: bool = True) -> dict[str, Any]:
    """An answer in ``fmt`` (JSON or XML), 2xx unless ``success`` is False: its Content-Type and its
    body; the body as a JSON dict."""
    if success:
        require(
            200 <= response.status < 300,
            requirement,
            f"a 2xx answer in {fmt.upper()}",
            f"HTTP {response.status}",
            response.body[:200].decode("utf-8", "replace"),
        )
    out = FindingCollector()
    mime = MIME_OF[fmt]
    out.expect(response.media_type == mime, requirement, f"Content-Type {mime}", response.headers.get("content-type"))
    body, problem = read_as(response.body, fmt)
    out.expect(problem == "", requirement, f"a FHIR {fmt.upper()} body", problem)
    out.raise_if_any()
    return body


def read_as(body: bytes, fmt: str) -> tuple[dict[str, Any], str]:
    """(the body as a JSON dict, "") or ({}, why it is not a FHIR resource in ``fmt``)."""
    try:
        value = xml_to_json(body) if fmt == XML else json.loads(body)
    except (FhirXmlError, ValueError, RecursionError) as error:
        return {}, f"not {fmt.upper()}: {str(error)[:200]}"
    if not isinstance(value, dict) or "resourceType" not in value:
        return {}, f"{fmt.upper()} that is not a FHIR resource"
    return value, ""


def check_charset(response: HttpResponse) -> None:
    """HTTP-04: the Content-Type of a FHIR answer sets charset=utf-8."""
    content_type = response.headers.get("content-type")
    require(charset(content_type) == "utf-8", "HTTP-04", "a Content-Type with charset=utf-8", content_type)


def check_format_declared(statement: dict[str, Any], fmt: str, profiles: tuple[str, ...]) -> None:
    """A scenario in ``fmt`` needs the CapabilityStatement to declare it; XML undeclared is not tested,
    unless a selected profile's pack mandates XML, which then fails."""
    if fmt == JSON or XML in declared_formats(statement):
        return
    mandating = [XML_MANDATED_BY[name] for name in profiles if name in XML_MANDATED_BY]
    declared = statement.get("format")
    if mandating:
        raise CheckFailed(
            [
                Finding(rid, f"{FHIR_XML} declared in the CapabilityStatement's format", repr(declared))
                for rid in mandating
            ]
        )
    raise NotTestable(
        f"the CapabilityStatement's format declares no XML ({declared!r}), so the XML scenarios do not apply; "
        "a provider serving XML should declare application/fhir+xml (select the tkw profile to have its absence failed)"
    )
