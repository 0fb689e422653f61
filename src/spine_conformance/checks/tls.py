"""TLS checks: the server's certificate (TLS-01), and what a server does with clients it must not serve:
one presenting no, an expired or a foreign client certificate (TLS-03), or plain HTTP (TLS-04).

Every handshake records the certificate the server presented (subject, issuer, names, validity), so
the evidence shows what was judged, including a certificate that failed verification.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from spine_conformance.findings import CheckFailed, Finding, HarnessError, NotTestable, note_evaluated, require
from spine_conformance.http import TargetUnreachable
from spine_conformance.http.certificates import (
    SERVER,
    CertificateInfo,
    describe_der,
    fetch_server_certificate,
    origin_of,
)
from spine_conformance.http.reachability import origin
from spine_conformance.http.tls_probe import Probe
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
    # The certificate the server presented (also when it failed verification), when one could be read.
    certificate: CertificateInfo | None = None


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
            der = tls.getpeercert(binary_form=True)
            subject = ", ".join("=".join(pair[0]) for pair in peer.get("subject", ()))
            verified = context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
            presented = describe_der(der, SERVER, origin_of(url)) if der else None
            return HandshakeResult(url, parts.hostname, port, verified, "", subject, certificate=presented)
    except ssl.SSLCertVerificationError as exc:
        presented = fetch_server_certificate(url, timeout_s)  # only to describe what failed verification
        error = exc.verify_message or str(exc)
        return HandshakeResult(url, parts.hostname, port, False, error, certificate=presented)
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
        presented = _presented(result.certificate)
        raise CheckFailed(
            [
                Finding(
                    "TLS-01",
                    f"a certificate for {result.host} chaining to the configured CAs",
                    (result.error or "the handshake was not verified") + presented,
                    f"{result.url}",
                )
            ]
        )
    note_evaluated("TLS-01")


def _presented(certificate: CertificateInfo | None) -> str:
    if certificate is None:
        return ""
    names = ", ".join(certificate.names) or "no subjectAltName"
    return (
        f" (it presented {certificate.subject}, issued by {certificate.issuer}, for {names}, "
        f"valid {certificate.not_before} to {certificate.not_after})"
    )


# -- clients the target must not serve -------------------------------------------------------------
def require_control_served(control: Probe, what: str) -> None:
    """The same request with the configured client certificate must be served, or a refusal proves nothing."""
    if control.served:
        return
    if not control.answered:
        cause = f"{origin(control.url)}: {control.error}"
        raise HarnessError(
            f"{what}: the control request with the configured client certificate got no answer "
            f"({control.error}); check [tls] client_cert, client_key and ca_bundle",
            cause,
        )
    raise HarnessError(
        f"{what}: the control request with the configured client certificate got {control.outcome()}, not a "
        "2xx answer, so a refusal could not be told from the answer every request gets",
        f"{origin(control.url)}: the control request with the configured client certificate was not served",
    )


def check_client_refused(attempt: Probe, presented: str) -> None:
    """TLS-03: a client presenting ``presented`` is not served (no handshake, closed, or an error answer)."""
    require(
        not attempt.served,
        "TLS-03",
        f"the connection presenting {presented} refused (a failed handshake, a closed connection, "
        "or an error such as 495/496 instead of the resource)",
        f"{attempt.outcome()}: the resource was served",
        attempt.url,
    )


def check_plain_http_refused(over_tls: Probe, plain: Probe) -> None:
    """TLS-04: plain HTTP to the HTTPS port is not served.

    "Served" is a successful answer, or the very answer (status and media type) the same request
    gets over TLS: the application handled it. A closed connection, a TLS alert, or an error of its
    own (400, 497) is a refusal.
    """
    if not over_tls.answered:
        raise HarnessError(
            f"the same request over TLS got no answer ({over_tls.error}), so the plain-HTTP answer cannot be judged",
            f"{origin(over_tls.url)}: {over_tls.error}",
        )
    same_answer = plain.status == over_tls.status and plain.media_type == over_tls.media_type
    require(
        not (plain.served or same_answer),
        "TLS-04",
        "plain HTTP to the HTTPS port refused (the connection closed, or an error such as 400/497)",
        f"{plain.outcome()}{f' {plain.media_type}' if plain.media_type else ''}, as over TLS ({over_tls.outcome()})"
        if same_answer
        else plain.outcome(),
        plain.url,
    )
