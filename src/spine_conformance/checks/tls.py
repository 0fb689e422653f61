"""TLS-01: the server's certificate chains to the configured CAs and matches its host name."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from spine_conformance.findings import CheckFailed, Finding, NotTestable, note_evaluated
from spine_conformance.http import TargetUnreachable
from spine_conformance.http.reachability import origin
from spine_conformance.http.transport_errors import describe_connect_failure


@dataclass(frozen=True)
class HandshakeResult:
    url: str
    host: str
    port: int
    verified: bool
    error: str
    subject: str = ""
    reachable: bool = True


def handshake(url: str, context: ssl.SSLContext, timeout_s: float) -> HandshakeResult:
    """Open a TLS connection to the origin of ``url`` with ``context`` and report how it went."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return HandshakeResult(url, parts.hostname or "", parts.port or 0, False, f"{url} does not use https")
    port = parts.port or 443
    try:
        with (
            socket.create_connection((parts.hostname, port), timeout=timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            peer = tls.getpeercert() or {}
            subject = ", ".join("=".join(pair[0]) for pair in peer.get("subject", ()))
            verified = context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
            return HandshakeResult(url, parts.hostname, port, verified, "", subject)
    except ssl.SSLCertVerificationError as exc:
        return HandshakeResult(url, parts.hostname, port, False, exc.verify_message or str(exc))
    except ssl.SSLError as exc:  # plain HTTP, no common protocol: the endpoint presented no usable TLS
        error = describe_connect_failure(exc, timeout_s) or f"the TLS handshake failed ({exc.reason or exc})"
        return HandshakeResult(url, parts.hostname, port, False, error)
    except OSError as exc:  # refused, unresolvable, no route: nothing was said about certificates
        error = describe_connect_failure(exc, timeout_s) or f"the connection failed ({exc.strerror or exc})"
        return HandshakeResult(url, parts.hostname, port, False, error, reachable=False)


def check_certificate(result: HandshakeResult, verification_on: bool) -> None:
    if not verification_on:
        raise NotTestable(
            "tls.verify is false, so certificates are not being checked; set it to true "
            "(with tls.ca_bundle if the target uses a private CA) to verify TLS-01"
        )
    if not result.reachable:
        raise TargetUnreachable(f"{result.url}: {result.error}", f"{origin(result.url)}: {result.error}")
    if not result.verified:
        raise CheckFailed(
            [
                Finding(
                    "TLS-01",
                    f"a certificate for {result.host} chaining to the configured CAs",
                    result.error or "the handshake was not verified",
                    f"{result.url}",
                )
            ]
        )
    note_evaluated("TLS-01")
