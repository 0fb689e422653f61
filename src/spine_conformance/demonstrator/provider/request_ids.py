"""X-Request-ID on bookings and cancels, as the Booking 2.x edition has it ([spec] edition = "2").

The client assigns an id to each create or update (BK-head book_an_appointment.md, Headers); an id
used before is refused with 409 (UEC er_overview: "The X-request-Id has been used previously"), one
missing with 400 (the TKW pack's simulator). The answer carries an X-Request-ID of the server's own
and, since that differs from the client's, an X-Correlation-ID echoing the client's.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.fhir import outcome

REQUEST_ID = "X-Request-ID"
CORRELATION_ID = "X-Correlation-ID"
# Far more than a test run sends; past it the oldest half is forgotten, so memory stays bounded.
MAX_REMEMBERED = 100_000


class RequestIds:
    """The X-Request-ID values this provider has seen (shared by its event loop's requests)."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}  # insertion-ordered, so the oldest can be forgotten first
        self._lock = threading.Lock()

    def claim(self, headers: Mapping[str, str], faults: FaultSet) -> str:
        """The client's id for this write, refusing a missing (400) or a reused (409) one."""
        value = (headers.get(REQUEST_ID.lower()) or "").strip()
        if not value:
            if faults.on("xreq-missing-accepted"):
                return ""
            raise HttpError(
                400, outcome.MISSING_OR_INVALID_HEADER, f"{REQUEST_ID} is required on a booking or a cancel"
            )
        with self._lock:
            used = value in self._seen
            self._seen[value] = None
            if len(self._seen) > MAX_REMEMBERED:
                for old in list(self._seen)[: MAX_REMEMBERED // 2]:
                    del self._seen[old]
        if used and not faults.on("xreq-reuse-accepted"):
            raise HttpError(
                409,
                outcome.DUPLICATE_REJECTED,
                f"the {REQUEST_ID} {value[:64]!r} has been used before",
                issue_code="duplicate",
            )
        return value

    @staticmethod
    def answer_headers(client_id: str, faults: FaultSet) -> dict[str, str]:
        headers = {REQUEST_ID: str(uuid.uuid4())}
        if client_id and not faults.on("xreq-no-correlation"):
            headers[CORRELATION_ID] = client_id
        return headers
