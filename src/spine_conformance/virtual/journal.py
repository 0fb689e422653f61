"""What a consumer sent to a virtual service, in arrival order, with waits that need no sleeping.

A scenario takes a :meth:`Journal.mark` before making the consumer act and reads the requests
since that mark afterwards (claiming them). Requests nobody claimed are strays; they are
reported, never dropped.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.http.exchange import Exchange


@dataclass
class RecordedRequest:
    service: str
    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    received_at: float
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    error: str = ""
    # False when the virtual service answered itself instead of passing the request on: not an SSP
    # request for the provider under test, or (with ``error`` set) the provider could not be reached.
    forwarded: bool = True

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def response_header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.response_headers if key.lower() == wanted), None)

    def json_body(self) -> Any:
        return json.loads(self.body)

    def as_exchange(self, origin: str) -> Exchange:
        """The request as evidence, in the same shape as the harness's own exchanges."""
        target = origin + self.raw_path + (f"?{self.query}" if self.query else "")
        exchange = Exchange(
            f"consumer → {self.service}",
            self.method,
            target,
            self.headers,
            self.body,
            self.received_at,
            interaction=self.service,
        )
        exchange.status = self.status
        exchange.response_headers = self.response_headers
        exchange.response_body = self.response_body
        exchange.error = self.error
        return exchange


class Journal:
    def __init__(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._claimed_up_to = 0
        self._changed = threading.Condition()

    def record(self, request: RecordedRequest) -> None:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()

    def updated(self) -> None:
        """A recorded request got its response; wake anyone waiting."""
        with self._changed:
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self._requests)

    def since(self, mark: int) -> list[RecordedRequest]:
        with self._changed:
            self._claimed_up_to = max(self._claimed_up_to, len(self._requests))
            return list(self._requests[mark:])

    def peek(self, mark: int) -> list[RecordedRequest]:
        """The requests since ``mark`` without claiming them."""
        with self._changed:
            return list(self._requests[mark:])

    def strays(self, mark: int) -> list[RecordedRequest]:
        """Requests that arrived before ``mark`` and that no scenario claimed."""
        with self._changed:
            return list(self._requests[self._claimed_up_to : mark])

    def wait_for(self, mark: int, predicate: Callable[[list[RecordedRequest]], bool], timeout_s: float) -> bool:
        """Wait (up to ``timeout_s``) until the requests since ``mark`` satisfy ``predicate``."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not predicate(self._requests[mark:]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True
