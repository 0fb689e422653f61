"""TLS-01 verdicts from a handshake result (no network: results are built directly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spine_conformance.checks.tls import HandshakeResult, check_certificate
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
