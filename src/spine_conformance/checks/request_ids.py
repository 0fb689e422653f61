"""X-Request-ID and X-Correlation-ID on the answer to a booking or a cancel (Booking 2.x, XREQ-02).

BK-head book_an_appointment.md, Headers: "The server can either use that id or assign it's own, which it
returns as the X-Request-Id header in the response. When the server assigned id is different to the
client assigned id, the server SHOULD also return the X-Correlation-Id header with the client's original id."
"""

from __future__ import annotations

from spine_conformance.appointments.client import CORRELATION_ID, REQUEST_ID
from spine_conformance.findings import FindingCollector, HarnessError
from spine_conformance.http import HttpResponse


def sent_request_id(response: HttpResponse) -> str | None:
    return next(
        (value for name, value in response.exchange.request_headers if name.lower() == REQUEST_ID.lower()), None
    )


def check_request_ids(response: HttpResponse, requirement: str = "XREQ-02") -> None:
    sent = sent_request_id(response)
    answered = response.headers.get(REQUEST_ID)
    out = FindingCollector()
    out.expect(
        bool(answered), requirement, f"an {REQUEST_ID} on the answer (the client's or the server's own)", answered
    )
    if answered and answered != sent:
        correlation = response.headers.get(CORRELATION_ID)
        out.expect(
            correlation == sent,
            requirement,
            f"{CORRELATION_ID} = the client's {REQUEST_ID} {sent}, since the server assigned its own",
            correlation,
        )
    out.raise_if_any()


def check_correlation_echoed(response: HttpResponse, requirement: str = "TKW-CORR-01") -> None:
    """The TKW pack's reading, stricter than the page: X-Correlation-ID always present and equal to the
    request's X-Request-ID (EB_Common.tstp: httpheadercorrelationcheck), whatever X-Request-ID answers."""
    sent = sent_request_id(response)
    if not sent:  # the harness sends one on every booking and cancel of edition 2
        raise HarnessError(f"the request carried no {REQUEST_ID} to compare {CORRELATION_ID} with")
    correlation = response.headers.get(CORRELATION_ID)
    out = FindingCollector()
    out.expect(correlation == sent, requirement, f"{CORRELATION_ID}: {sent} (the request's {REQUEST_ID})", correlation)
    out.raise_if_any()
