"""Reference-consumer tests: running it as a process, and a recording stand-in for the SSP.

The demonstrator's SSP refuses most faulty requests before anything can be seen of them; this
server accepts every request, records it exactly as it arrived (raw path, headers, body) and
answers as a conformant provider would, so a test can assert what each fault changed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.demonstrator.servers import READINESS_PATH, BackgroundServers
from spine_conformance.demonstrator.tls import ServerCertificate

PROVIDER_BASE = "https://provider.example/STU3/1"
RTEC_PATH = "/rtec-api-gateway/search"
APPOINTMENT_ID = "appt-1"
SLOT = {
    "resourceType": "Slot",
    "id": "slot001",
    "status": "free",
    "start": "2030-01-01T09:00:00+00:00",
    "end": "2030-01-01T09:15:00+00:00",
    "schedule": {"reference": "Schedule/sched1111"},
}
FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class Recorded:
    method: str
    raw_path: str  # as sent: a doubled slash stays doubled
    query: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def provider_path(self) -> str:
        """The path below the provider base, e.g. ``Appointment/appt-1``."""
        return self.raw_path.split(PROVIDER_BASE, 1)[-1].lstrip("/")


def _fhir(resource: dict[str, Any], status: int = 200, version: str | None = None) -> Response:
    headers = {"ETag": f'W/"{version}"'} if version else {}
    return JSONResponse(resource, status_code=status, headers=headers, media_type=FHIR_JSON)


def _appointment(version: str, status: str) -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "id": APPOINTMENT_ID,
        "meta": {"versionId": version},
        "status": status,
        "slot": [{"reference": f"Slot/{SLOT['id']}"}],
    }


def _searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    entries = [{"fullUrl": f"{PROVIDER_BASE}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


class RecordingSsp:
    def __init__(self) -> None:
        self._requests: list[Recorded] = []
        self._lock = threading.Lock()
        methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
        self.app = Starlette(
            routes=[Route(READINESS_PATH, self._ready), Route("/{path:path}", self._handle, methods=methods)]
        )

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    async def _ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def _handle(self, request: Request) -> Response:
        raw_path = request.scope["raw_path"].decode("latin-1")
        query = request.scope["query_string"].decode("latin-1")
        recorded = Recorded(request.method, raw_path, query, dict(request.headers.items()), await request.body())
        with self._lock:
            self._requests.append(recorded)
        return self._answer(recorded)

    def _answer(self, recorded: Recorded) -> Response:
        path, method = recorded.provider_path, recorded.method
        if recorded.raw_path.endswith(RTEC_PATH):
            return JSONResponse({"message": "Exemption has been found", "type": "0005"})
        if method == "GET" and path == "Slot":
            return _fhir(_searchset(SLOT))
        if method == "POST" and path == "Appointment":
            return _fhir({**recorded.json(), "id": APPOINTMENT_ID, "meta": {"versionId": "1"}}, 201, "1")
        if method == "GET" and path == "Appointment":
            return _fhir(_searchset(_appointment("1", "booked")))
        if method == "GET" and path == f"Appointment/{APPOINTMENT_ID}":
            return _fhir(_appointment("1", "booked"), version="1")
        if method == "PUT" and path == f"Appointment/{APPOINTMENT_ID}":
            return _fhir({**recorded.json(), "meta": {"versionId": "2"}}, version="2")
        return _fhir({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "not-found"}]}, 404)


@contextmanager
def recording_ssp(certificate: ServerCertificate) -> Iterator[tuple[RecordingSsp, str]]:
    """The recorder, served over TLS with ``certificate``, and its origin URL (``https://127.0.0.1:N``)."""
    recorder = RecordingSsp()
    servers = BackgroundServers()
    host = servers.add("recording-ssp", recorder.app, certificate)
    servers.start()
    try:
        yield recorder, host.origin
    finally:
        servers.stop()


# -- running the consumer as the harness does: one process per action ---------------------------------
@dataclass(frozen=True)
class ConsumerRun:
    code: int
    output: dict[str, Any]  # the JSON object printed on stdout ({} if none)
    stdout: str
    stderr: str
    elapsed_s: float


def run_consumer(*words: str, timeout_s: float = 90) -> ConsumerRun:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "spine_conformance", "consumer", *words],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    output = json.loads(lines[0]) if lines else {}
    assert len(lines) <= 1, f"more than one JSON object on stdout: {done.stdout}"
    return ConsumerRun(done.returncode, output, done.stdout, done.stderr, elapsed)
