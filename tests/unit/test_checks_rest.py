"""The REST layer's checks: formats, charset, Date, no-store, Location, preference, gzip, CORS, META-02."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from spine_conformance.checks.capability import check_capability_content
from spine_conformance.checks.negotiation import check_charset, check_format, check_format_declared
from spine_conformance.checks.rest import (
    check_cancel_location,
    check_date_headers,
    check_gzip,
    check_minimal,
    check_no_store,
    check_preflight,
)
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.capability import capability_statement
from spine_conformance.fhir.xml import json_to_xml
from spine_conformance.findings import CheckFailed, NotTestable
from spine_conformance.http import Exchange, HttpResponse

URL = "https://provider.example/STU3/1/metadata"
BASE = "https://provider.example/STU3/1"


def response(status: int = 200, body: bytes = b"", **headers: str) -> HttpResponse:
    names = {key.replace("_", "-"): value for key, value in headers.items()}
    exchange = Exchange("GET", "GET", URL, [], b"", 0.0, status=status, response_headers=list(names.items()))
    return HttpResponse(status, httpx.Headers(names), body, URL, exchange)


def requirements(raised: pytest.ExceptionInfo[CheckFailed]) -> set[str]:
    return {finding.requirement for finding in raised.value.findings}


STATEMENT: dict[str, Any] = capability_statement(BASE, FaultSet())


def test_an_xml_answer_must_say_so_and_be_xml() -> None:
    xml = json_to_xml(STATEMENT)
    assert check_format(response(body=xml, content_type="application/fhir+xml"), "xml", "HTTP-02")["kind"] == "instance"
    with pytest.raises(CheckFailed):
        check_format(response(body=xml, content_type="application/xml"), "xml", "HTTP-02")
    with pytest.raises(CheckFailed):
        check_format(response(body=b"{}", content_type="application/fhir+xml"), "xml", "HTTP-02")


def test_charset_is_required() -> None:
    check_charset(response(content_type="application/fhir+json; charset=utf-8"))
    with pytest.raises(CheckFailed):
        check_charset(response(content_type="application/fhir+json"))


def test_undeclared_xml_is_not_tested_unless_a_profile_mandates_it() -> None:
    json_only = {**STATEMENT, "format": ["application/fhir+json"]}
    check_format_declared(STATEMENT, "xml", ())
    with pytest.raises(NotTestable):
        check_format_declared(json_only, "xml", ("gp-connect",))
    with pytest.raises(CheckFailed) as raised:
        check_format_declared(json_only, "xml", ("tkw",))
    assert requirements(raised) == {"TKW-FORMAT-01"}


def test_every_2xx_4xx_answer_needs_a_date_and_5xx_may_omit_it() -> None:
    dated = response(date="Wed, 02 Dec 2026 06:03:53 GMT").exchange
    undated_500 = response(500).exchange
    check_date_headers([dated, undated_500])
    with pytest.raises(CheckFailed):
        check_date_headers([dated, response(404).exchange])


def test_no_store_on_every_answer() -> None:
    check_no_store([response(cache_control="private, no-store").exchange])
    with pytest.raises(CheckFailed):
        check_no_store([response(cache_control="no-cache").exchange])


def test_the_cancel_location_is_the_appointments_absolute_url() -> None:
    check_cancel_location(response(location=f"{BASE}/Appointment/a1/_history/2"), BASE, "a1")
    with pytest.raises(CheckFailed):
        check_cancel_location(response(location="Appointment/a1"), BASE, "a1")


def test_minimal_means_no_body_and_gzip_means_gzip() -> None:
    check_minimal(response(201), (201,))
    with pytest.raises(CheckFailed):
        check_minimal(response(201, b'{"resourceType":"Appointment"}'), (201,))
    check_gzip(response(content_encoding="gzip"), ("TKW-GZIP-01",))
    with pytest.raises(CheckFailed):
        check_gzip(response(), ("TKW-GZIP-01",))


def test_a_preflight_must_allow_the_origin_the_method_and_the_headers() -> None:
    allowed = {"access_control_allow_origin": "*", "access_control_allow_methods": "GET, POST"}
    check_preflight(response(204, **allowed, access_control_allow_headers="*"), "https://a", "POST", ("ssp-from",))
    with pytest.raises(CheckFailed):
        check_preflight(
            response(204, **allowed, access_control_allow_headers="accept"), "https://a", "POST", ("ssp-from",)
        )


def test_the_demonstrators_capability_statement_describes_itself_and_a_sparse_one_does_not() -> None:
    check_capability_content(STATEMENT)
    with pytest.raises(CheckFailed) as raised:
        check_capability_content(capability_statement(BASE, FaultSet(["metadata-sparse"])))
    assert len(raised.value.findings) >= 5
