"""The certificates presented in a TLS scenario, described for the evidence (subject, issuer, names, validity).

Every TLS scenario records what was presented: the server's certificate a handshake saw (even one
that failed verification: it is fetched again without verifying, only to be described), the
certificate a virtual service presented to the consumer under test, and the client certificate the
harness presented to a target that requires one.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from spine_conformance.http.exchange import Exchange

SERVER = "server"
CLIENT = "client"


@dataclass(frozen=True)
class CertificateInfo:
    role: str  # who presented it: "server" or "client"
    presented_by: str  # the endpoint (origin), or what the harness presented it as
    subject: str
    issuer: str
    names: tuple[str, ...]  # subjectAltName DNS names and IP addresses
    not_before: str
    not_after: str
    serial: str
    sha256: str = ""  # the fingerprint, colon-separated hex, to compare with what the supplier says it deployed

    @property
    def expired(self) -> bool:
        return datetime.fromisoformat(self.not_after) < datetime.now(UTC)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "names": list(self.names), "expired": self.expired}


def describe(certificate: x509.Certificate, role: str, presented_by: str) -> CertificateInfo:
    try:
        alternative = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(alternative.get_values_for_type(x509.DNSName)) + tuple(
            str(address) for address in alternative.get_values_for_type(x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        names = ()
    return CertificateInfo(
        role=role,
        presented_by=presented_by,
        subject=certificate.subject.rfc4514_string() or "(empty)",
        issuer=certificate.issuer.rfc4514_string() or "(empty)",
        names=names,
        not_before=certificate.not_valid_before_utc.isoformat(timespec="seconds"),
        not_after=certificate.not_valid_after_utc.isoformat(timespec="seconds"),
        serial=format(certificate.serial_number, "x"),
        sha256=certificate.fingerprint(hashes.SHA256()).hex(":"),
    )


def describe_der(der: bytes, role: str, presented_by: str) -> CertificateInfo:
    return describe(x509.load_der_x509_certificate(der), role, presented_by)


def describe_pem(path: Path, role: str, presented_by: str) -> CertificateInfo:
    """The first certificate in a PEM file (a leaf before its chain, as servers and clients present them)."""
    return describe_pem_bytes(path.read_bytes(), role, presented_by)


def describe_pem_bytes(data: bytes, role: str, presented_by: str) -> CertificateInfo:
    return describe(x509.load_pem_x509_certificates(data)[0], role, presented_by)


def fetch_server_certificate(url: str, timeout_s: float) -> CertificateInfo | None:
    """The certificate the server at ``url`` presents, fetched without verifying it (only to describe it)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # nothing is sent over this connection: it only reads the certificate
    try:
        with (
            socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout_s) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None
    return describe_der(der, SERVER, origin_of(url)) if der else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def certificate_exchange(
    label: str, url: str, certificates: list[CertificateInfo], *, error: str = "", status: int | None = None
) -> Exchange:
    """Evidence of one TLS connection: the certificates presented on it, and how it ended."""
    exchange = Exchange(label, "TLS", url, [], b"", datetime.now(UTC).timestamp(), interaction="tls")
    exchange.status = status
    exchange.error = error
    exchange.certificates = [certificate.as_dict() for certificate in certificates]
    return exchange
