"""TLS material for one run: a CA generated for the run and certificates it issues (trustme)."""

from __future__ import annotations

import os
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trustme

LOOPBACK_NAMES = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class ServerCertificate:
    """A certificate and its key in one PEM file (the form uvicorn accepts for both)."""

    pem_path: Path
    names: tuple[str, ...]


class RunCertificates:
    """A CA made for this run, written to ``directory``, issuing loopback server certificates."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(tempfile.mkdtemp(prefix="spine-conformance-tls-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self._ca = trustme.CA(organization_name="Spine Conformance run CA")
        self.ca_path = self.directory / "run-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_path))
        self.server = self.issue("server", *LOOPBACK_NAMES)

    def issue(self, label: str, *names: str) -> ServerCertificate:
        """A server certificate for ``names`` signed by the run CA."""
        cert = self._ca.issue_cert(*names, common_name=names[0] if names else None)
        path = self.directory / f"{label}.pem"
        write_private(path, cert.private_key_and_cert_chain_pem.bytes())
        return ServerCertificate(path, tuple(names))

    def issue_expired(self, label: str, *names: str) -> ServerCertificate:
        """A certificate for ``names`` (loopback by default) from the run CA that expired a month ago."""
        now = datetime.now(UTC)
        names = names or LOOPBACK_NAMES
        cert = self._ca.issue_cert(
            *names, common_name=names[0], not_before=now - timedelta(days=400), not_after=now - timedelta(days=30)
        )
        path = self.directory / f"{label}.pem"
        write_private(path, cert.private_key_and_cert_chain_pem.bytes())
        return ServerCertificate(path, tuple(names))

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting only the run CA, with hostname checking on."""
        return ssl.create_default_context(cafile=str(self.ca_path))


def write_private(path: Path, data: bytes) -> None:
    """Write key material readable by its owner only (0600), from the moment the file exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def untrusted_certificate(directory: Path, *names: str, label: str = "untrusted") -> ServerCertificate:
    """A certificate from a CA nobody trusts (for checking that clients refuse it)."""
    stranger = trustme.CA(organization_name="Untrusted CA")
    cert = stranger.issue_cert(*(names or LOOPBACK_NAMES))
    path = directory / f"{label}.pem"
    write_private(path, cert.private_key_and_cert_chain_pem.bytes())
    return ServerCertificate(path, tuple(names or LOOPBACK_NAMES))
