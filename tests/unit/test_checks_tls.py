"""TLS-01 verdicts from a handshake result (no network: results are built directly)."""

from __future__ import annotations

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
