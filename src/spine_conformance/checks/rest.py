"""HTTP and FHIR REST layer checks: response headers, return preference, compression, caching, CORS."""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from typing import Any

from spine_conformance.checks.responses import check_status, json_body
from spine_conformance.findings import FindingCollector, note_evaluated, require
from spine_conformance.http import Exchange, HttpResponse


def _header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _http_date(value: str | None) -> bool:
    try:
        return value is not None and parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


def answered(exchanges: Iterable[Exchange]) -> list[Exchange]:
    return [exchange for exchange in exchanges if exchange.status is not None]


def check_date_headers(exchanges: Iterable[Exchange]) -> None:
    """HTTP-05: every 2xx, 3xx and 4xx answer carries a Date (RFC 7231: 1xx and 5xx MAY)."""
    out = FindingCollector()
    judged = [e for e in answered(exchanges) if e.status is not None and 200 <= e.status < 500]
    require(bool(judged), "HTTP-05", "answers to judge", "no 2xx-4xx answer was received")
    for exchange in judged:
        date = _header(exchange.response_headers, "date")
        out.expect(_http_date(date), "HTTP-05", "a Date header holding an HTTP date", date, exchange.label)
    out.raise_if_any()


def check_no_store(exchanges: Iterable[Exchange]) -> None:
    """GPC-CACHE-01: every answer says Cache-Control: no-store."""
    out = FindingCollector()
    judged = answered(exchanges)
    require(bool(judged), "GPC-CACHE-01", "answers to judge", "no answer was received")
    for exchange in judged:
        value = _header(exchange.response_headers, "cache-control") or ""
        directives = {part.strip().lower() for part in value.split(",")}
        out.expect("no-store" in directives, "GPC-CACHE-01", "Cache-Control: no-store", value or None, exchange.label)
    out.raise_if_any()


def check_cancel_location(response: HttpResponse, base_url: str, appointment_id: str) -> None:
    """HTTP-06: the cancel's 200 names the appointment's absolute URL (optionally its version)."""
    check_status(response, 200, "HTTP-06")
    location = response.headers.get("location") or ""
    expected = f"{base_url.rstrip('/')}/Appointment/{appointment_id}"
    require(
        location == expected or location.startswith(expected + "/_history/"),
        "HTTP-06",
        f"Location {expected}[/_history/<vid>]",
        location or None,
    )


def check_last_modified(response: HttpResponse, requirement: str = "HTTP-07") -> None:
    modified = response.headers.get("last-modified")
    require(_http_date(modified), requirement, "a Last-Modified HTTP date", modified)


def check_minimal(response: HttpResponse, statuses: tuple[int, ...]) -> None:
    """HTTP-08: Prefer: return=minimal asks for no body."""
    check_status(response, statuses, "HTTP-08")
    require(not response.body.strip(), "HTTP-08", "no body (Prefer: return=minimal)", f"{len(response.body)} bytes")


def check_representation(response: HttpResponse, statuses: tuple[int, ...], resource_type: str) -> dict[str, Any]:
    """HTTP-08: Prefer: return=representation asks for the whole resource."""
    check_status(response, statuses, "HTTP-08")
    body = json_body(response, "HTTP-08")
    actual = body.get("resourceType") if isinstance(body, dict) else type(body).__name__
    require(actual == resource_type, "HTTP-08", f"the {resource_type} (Prefer: return=representation)", actual)
    return body  # type: ignore[no-any-return]


def check_gzip(response: HttpResponse, requirements: tuple[str, ...]) -> None:
    """Accept-Encoding: gzip answered gzip-encoded (the body was decoded, so it really was gzip)."""
    out = FindingCollector()
    encoding = (response.headers.get("content-encoding") or "").strip().lower()
    for requirement in requirements:
        out.expect(200 <= response.status < 300, requirement, "a 2xx answer", f"HTTP {response.status}")
        out.expect(encoding == "gzip", requirement, "Content-Encoding: gzip", encoding or None)
    out.raise_if_any()


def check_preflight(response: HttpResponse, origin: str, method: str, headers: tuple[str, ...]) -> None:
    """GPC-CORS-01: a pre-flight allows the origin, the method and every requested header."""
    out = FindingCollector()
    note_evaluated("GPC-CORS-01")
    out.expect(200 <= response.status < 300, "GPC-CORS-01", "a 2xx answer to the pre-flight", f"HTTP {response.status}")
    allowed_origin = response.headers.get("access-control-allow-origin")
    out.expect(allowed_origin in (origin, "*"), "GPC-CORS-01", f"Access-Control-Allow-Origin {origin}", allowed_origin)
    methods = {m.strip().upper() for m in (response.headers.get("access-control-allow-methods") or "").split(",")}
    out.expect(
        method in methods or "*" in methods, "GPC-CORS-01", f"{method} among the allowed methods", methods or None
    )
    allowed = {h.strip().lower() for h in (response.headers.get("access-control-allow-headers") or "").split(",")}
    missing = [h for h in headers if h.lower() not in allowed] if "*" not in allowed else []
    out.expect(not missing, "GPC-CORS-01", "every requested header allowed", f"not allowed: {', '.join(missing)}")
    out.raise_if_any()
