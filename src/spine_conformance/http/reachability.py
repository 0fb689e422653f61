"""Endpoints found unreachable in a run, so later requests to them stop waiting at once.

An endpoint that refused a connection, could not be resolved or connected to, or failed to
answer twice in a row is remembered with that cause; every later request to its origin raises
:class:`TargetUnreachable` with the same cause straight away. A run against a dead target then
ends in seconds with one headline ("https://provider.example: connection refused") instead of
waiting out a timeout per scenario.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from spine_conformance.findings import HarnessError

# A server that leaves this many requests in a row unanswered is treated as not answering.
UNANSWERED_STRIKES = 2


class TargetUnreachable(HarnessError):
    """No HTTP response: refused, unresolvable, timed out, reset, or too large to accept."""


def origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class Reachability:
    """Thread-safe: racing requests share one registry."""

    def __init__(self) -> None:
        self._down: dict[str, str] = {}
        self._unanswered: dict[str, int] = {}
        self._lock = threading.Lock()

    def refuse_if_down(self, url: str) -> None:
        with self._lock:
            cause = self._down.get(origin(url))
        if cause is not None:
            raise TargetUnreachable(f"{url}: not tried, because {cause}", cause)

    def unreachable(self, url: str, cause: str) -> None:
        """The endpoint could not be connected to at all (refused, DNS, connect timeout)."""
        with self._lock:
            self._down.setdefault(origin(url), cause)

    def unanswered(self, url: str, cause: str) -> None:
        """A request got no (complete) answer; twice in a row and the endpoint counts as down."""
        key = origin(url)
        with self._lock:
            self._unanswered[key] = self._unanswered.get(key, 0) + 1
            if self._unanswered[key] >= UNANSWERED_STRIKES:
                self._down.setdefault(key, cause)

    def answered(self, url: str) -> None:
        with self._lock:
            self._unanswered.pop(origin(url), None)

    def down(self) -> dict[str, str]:
        with self._lock:
            return dict(self._down)
