"""A scrap of an appointments provider written from the published pages alone (BK-seed, CareConnect).

It serves the CapabilityStatement and a slot search whose Slot starts and ends at the same instant
(as the Booking page's own Appointment example does: no published rule orders start and end), and
answers an unknown Appointment with a bare 404 and no OperationOutcome (which UEC forbids).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.independent.servers import JsonHandler

BASE_PATH = "/STU3/1"
FHIR_JSON = "application/fhir+json"
SERVICE = "918999198999"
INTERACTIONS = {"Slot": ["search-type"], "Appointment": ["create", "read", "vread", "update", "search-type"]}


def capability_statement() -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-01-01",
        "kind": "instance",
        "fhirVersion": "3.0.1",
        "acceptUnknown": "no",
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {"type": kind, "interaction": [{"code": code} for code in codes]}
                    for kind, codes in INTERACTIONS.items()
                ],
            }
        ],
    }


def slot_bundle(base: str, window_start: datetime) -> dict[str, Any]:
    start = (window_start + timedelta(hours=1)).replace(microsecond=0).isoformat()
    slot = {
        "resourceType": "Slot",
        "id": "s1",
        "identifier": [{"system": "https://independent.example/slot", "value": "s1"}],
        "schedule": {"reference": "Schedule/sc1"},
        "status": "free",
        "start": start,
        "end": start,  # a zero-length slot: odd, but no published rule forbids it
    }
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [{"fullUrl": f"{base}/Slot/s1", "resource": slot, "search": {"mode": "match"}}],
    }


class FhirProvider(JsonHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        base = f"https://{self.headers.get('Host', 'localhost')}{BASE_PATH}"
        relative = parts.path.removeprefix(BASE_PATH).strip("/")
        if relative == "metadata":
            self.answer(200, capability_statement(), FHIR_JSON)
        elif relative == "Slot":
            starts = [value[2:] for value in parse_qs(parts.query).get("start", []) if value.startswith("ge")]
            begin = datetime.fromisoformat(starts[0]) if starts else datetime.now(UTC)
            self.answer(200, slot_bundle(base, begin), FHIR_JSON)
        else:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"Not Found")
