"""TLS-01 verdicts from a handshake result (no network: results are built directly)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from pathlib import Path

import pytest
import trustme

from spine_conformance.checks.tls import HandshakeResult, check_certificate, handshake
from spine_conformance.findings import CheckFailed, NotTestable

URL = "https://provider.example:8443/STU3/1"


def result(verified: bool, error: str = "") -> HandshakeResult:
    return HandshakeResult(URL, "provider.example", 8443, verified, error, "commonName=provider.example")


def test_verified_handshake_passes() -> None:
    check_certificate(result(True), verification_on=True)


@pytest.mark.parametrize("verified", [True, False])
def test_verification_off_is_not_testable(verified: bool) -> None:
    with pytest.raises(NotTestable) as raised:
        check_certificate(result(verified, "certificate verify failed"), verification_on=False)
    assert "tls.verify" in raised.value.reason
    assert "TLS-01" in raised.value.reason


def test_unverified_handshake_fails_tls_01_with_the_error() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_certificate(result(False, "Hostname mismatch, certificate is not valid for 'provider.example'"), True)
    (finding,) = raised.value.findings
    assert finding.requirement == "TLS-01"
    assert "provider.example" in finding.expected
    assert finding.actual.startswith("Hostname mismatch")
    assert finding.detail == URL
    assert raised.value.requirements == ("TLS-01",)


def test_unverified_handshake_without_an_error_message() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_certificate(result(False), True)
    (finding,) = raised.value.findings
    assert finding.requirement == "TLS-01"
    assert finding.actual == "the handshake was not verified"


def test_private_keys_of_a_run_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Observed: each consumer-suite run left three private-key PEM files with mode 0644."""
    import stat

    from spine_conformance.demonstrator.tls import RunCertificates, untrusted_certificate

    certificates = RunCertificates(tmp_path / "tls")
    keys = [certificates.server.pem_path, certificates.issue("other", "x.invalid").pem_path]
    keys.append(untrusted_certificate(certificates.directory).pem_path)
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in keys)


class _TlsServer:
    """A loopback TLS server (stdlib) presenting a trustme certificate, for real handshakes."""

    def __init__(self, certificate: trustme.LeafCert) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(self.context)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(2):  # the verifying handshake, then (when it fails) the look at the certificate
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            with raw, contextlib.suppress(OSError):
                self.context.wrap_socket(raw, server_side=True).close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes a pending accept (close alone does not)
        self.listener.close()
        self.thread.join(timeout=10)


def _client(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_a_verified_handshake_records_the_trusted_certificate() -> None:
    ca = trustme.CA()
    server = _TlsServer(ca.issue_cert("127.0.0.1"))
    try:
        result = handshake(f"https://127.0.0.1:{server.port}/", _client(ca), 10)
    finally:
        server.close()
    assert result.verified and result.certificate is not None and result.certificate.trusted
    assert "IP:127.0.0.1" in result.certificate.subject_alt_names
    assert result.evidence()["certificate"]["sha256"] == result.certificate.sha256


def test_an_untrusted_certificate_fails_tls_01_and_is_still_shown() -> None:
    server = _TlsServer(trustme.CA().issue_cert("127.0.0.1"))
    try:
        result = handshake(f"https://127.0.0.1:{server.port}/", _client(trustme.CA()), 10)
    finally:
        server.close()
    assert not result.verified and "certificate" in result.error
    assert result.certificate is not None and not result.certificate.trusted
    assert "IP:127.0.0.1" in result.certificate.subject_alt_names
    with pytest.raises(CheckFailed):
        check_certificate(result, verification_on=True)
