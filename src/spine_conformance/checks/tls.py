"""TLS-01: the server's certificate chains to the configured CAs and matches its host name."""

from __future__ import annotations

import socket
import ssl
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from spine_conformance.findings import CheckFailed, Finding, NotTestable, note_evaluated
from spine_conformance.http import TargetUnreachable
from spine_conformance.http.reachability import origin
from spine_conformance.http.transport_errors import describe_connect_failure


@dataclass(frozen=True)
class CertificateSeen:
    """The leaf certificate a server presented, as the evidence pack shows it."""

    subject: str
    issuer: str
    subject_alt_names: tuple[str, ...]
    not_before: str
    not_after: str
    serial: str
    sha256: str
    protocol: str = ""
    cipher: str = ""
    trusted: bool = False  # whether it was seen through the verifying handshake

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "subject_alt_names": list(self.subject_alt_names)}


def describe_certificate(der: bytes, protocol: str = "", cipher: str = "", trusted: bool = False) -> CertificateSeen:
    certificate = x509.load_der_x509_certificate(der)
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        alt_names = tuple(
            [f"DNS:{name}" for name in names.get_values_for_type(x509.DNSName)]
            + [f"IP:{address}" for address in names.get_values_for_type(x509.IPAddress)]
        )
    except x509.ExtensionNotFound:
        alt_names = ()
    return CertificateSeen(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        subject_alt_names=alt_names,
        not_before=certificate.not_valid_before_utc.isoformat(),
        not_after=certificate.not_valid_after_utc.isoformat(),
        serial=f"{certificate.serial_number:x}",
        sha256=certificate.fingerprint(hashes.SHA256()).hex(":"),
        protocol=protocol,
        cipher=cipher,
        trusted=trusted,
    )


@dataclass(frozen=True)
class HandshakeResult:
    url: str
    host: str
    port: int
    verified: bool
    error: str
    subject: str = ""
    reachable: bool = True
    certificate: CertificateSeen | None = None

    def evidence(self) -> dict[str, Any]:
        """What the evidence pack shows of this handshake."""
        return {
            "url": self.url,
            "host": self.host,
            "port": self.port,
            "verified": self.verified,
            "error": self.error,
            "certificate": self.certificate.as_dict() if self.certificate else None,
        }


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
            seen = _seen(tls, trusted=verified)
            return HandshakeResult(url, parts.hostname, port, verified, "", subject, certificate=seen)
    except ssl.SSLCertVerificationError as exc:
        # Shown, never trusted: what the server presented, fetched again without verification.
        seen = _untrusted_certificate(parts.hostname, port, timeout_s)
        return HandshakeResult(url, parts.hostname, port, False, exc.verify_message or str(exc), certificate=seen)
    except ssl.SSLError as exc:  # plain HTTP, no common protocol: the endpoint presented no usable TLS
        error = describe_connect_failure(exc, timeout_s) or f"the TLS handshake failed ({exc.reason or exc})"
        return HandshakeResult(url, parts.hostname, port, False, error)
    except OSError as exc:  # refused, unresolvable, no route: nothing was said about certificates
        error = describe_connect_failure(exc, timeout_s) or f"the connection failed ({exc.strerror or exc})"
        return HandshakeResult(url, parts.hostname, port, False, error, reachable=False)


def _seen(tls: ssl.SSLSocket, trusted: bool) -> CertificateSeen | None:
    der = tls.getpeercert(binary_form=True)
    if not der:
        return None
    cipher = tls.cipher()
    return describe_certificate(der, tls.version() or "", cipher[0] if cipher else "", trusted)


def _untrusted_certificate(host: str, port: int, timeout_s: float) -> CertificateSeen | None:
    """The certificate a server presents, for the evidence of a failed verification (nothing is sent)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            return _seen(tls, trusted=False)
    except (OSError, ValueError):
        return None


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
