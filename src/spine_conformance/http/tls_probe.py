"""One request over a connection the harness sets up itself: to see what a target does with a given
client certificate (TLS-03), or with plain HTTP sent to its HTTPS port (TLS-04).

The harness's own HTTP client keeps connections, remembers unreachable endpoints and treats TLS
failures as the target's certificate problem; these probes need none of that. Each opens one fresh
connection, sends one GET and reads the status line and headers (the body only up to a bound), and
reports what happened: an HTTP answer, or why there was none (the handshake refused, the connection
closed or reset). Nothing here is a verdict: the checks in :mod:`spine_conformance.checks.tls` judge.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spine_conformance.http.certificates import SERVER, CertificateInfo, describe_der, origin_of
from spine_conformance.http.transport_errors import describe_connect_failure

BODY_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Probe:
    url: str
    scheme: str  # what was spoken on the connection: "https" or "http"
    status: int | None = None  # the HTTP status of the answer, None when there was none
    media_type: str = ""
    error: str = ""  # why there was no answer
    certificates: list[CertificateInfo] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.status is not None

    @property
    def served(self) -> bool:
        """A successful answer: the resource was given out."""
        return self.status is not None and 200 <= self.status < 300

    def outcome(self) -> str:
        return f"HTTP {self.status}" if self.status is not None else f"no answer ({self.error})"


def _target(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80), path


def https_probe(
    url: str,
    headers: Mapping[str, str],
    context: ssl.SSLContext,
    timeout_s: float,
    client: CertificateInfo | None = None,
) -> Probe:
    """GET ``url`` over TLS with ``context`` (which holds the client certificate to present, if any)."""
    host, port, path = _target(url)
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=timeout_s)
    presented = [client] if client is not None else []
    try:
        connection.connect()
        server = _server_certificate(connection.sock, url)
        try:
            connection.request("GET", path, headers=dict(headers))
            response = connection.getresponse()
            response.read(BODY_LIMIT)
        except (OSError, http.client.HTTPException) as problem:
            # TLS 1.3: a client certificate the server refuses ends the connection after the handshake.
            return Probe(url, "https", error=_why(problem, timeout_s), certificates=server + presented)
        media = (response.getheader("content-type") or "").split(";")[0].strip().lower()
        return Probe(url, "https", response.status, media, certificates=server + presented)
    except (OSError, http.client.HTTPException) as problem:
        return Probe(url, "https", error=_why(problem, timeout_s), certificates=presented)
    finally:
        connection.close()


def plain_probe(url: str, headers: Mapping[str, str], timeout_s: float) -> Probe:
    """GET the same host, port and path as ``url`` (an https URL) in plain HTTP, without TLS."""
    host, port, path = _target(url)
    connection = http.client.HTTPConnection(host, port, timeout=timeout_s)
    try:
        connection.request("GET", path, headers=dict(headers))
        response = connection.getresponse()
        response.read(BODY_LIMIT)
    except (OSError, http.client.HTTPException) as problem:
        return Probe(url, "http", error=_why(problem, timeout_s))
    finally:
        connection.close()
    media = (response.getheader("content-type") or "").split(";")[0].strip().lower()
    return Probe(url, "http", response.status, media)


def _server_certificate(sock: socket.socket | None, url: str) -> list[CertificateInfo]:
    der = sock.getpeercert(binary_form=True) if isinstance(sock, ssl.SSLSocket) else None
    return [describe_der(der, SERVER, origin_of(url))] if der else []


def _why(problem: BaseException, timeout_s: float) -> str:
    """In the words the harness uses everywhere else (so one unreachable target is one headline)."""
    if isinstance(problem, ssl.SSLEOFError):  # TLS 1.3: the server ended the connection after the handshake
        return "the server closed the connection"
    connect_failure = describe_connect_failure(problem, timeout_s)
    if connect_failure is not None:
        return connect_failure
    if isinstance(problem, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return "the server closed the connection"
    if isinstance(problem, http.client.HTTPException):
        return f"not an HTTP answer ({type(problem).__name__})"
    return str(problem) or type(problem).__name__
