"""TLS verdicts from handshake and probe results (no network: results are built directly)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from spine_conformance.checks.tls import (
    HandshakeResult,
    check_certificate,
    check_client_refused,
    check_plain_http_refused,
    require_control_served,
)
from spine_conformance.findings import CheckFailed, HarnessError, NotTestable
from spine_conformance.http.certificates import CLIENT, CertificateInfo, describe_pem
from spine_conformance.http.tls_probe import Probe

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


# -- TLS-03 and TLS-04: what a server does with clients it must not serve ---------------------------
METADATA = URL + "/metadata"


def probe(status: int | None, media: str = "application/fhir+json", scheme: str = "https") -> Probe:
    return Probe(METADATA, scheme, status, media if status is not None else "", "" if status else "closed")


def test_a_client_the_server_refuses_passes_whatever_the_refusal_looks_like() -> None:
    for refusal in (probe(None), probe(495), probe(496), probe(403)):
        check_client_refused(refusal, "no client certificate")


def test_a_client_served_the_resource_fails_tls_03() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_client_refused(probe(200), "an expired client certificate")
    (finding,) = raised.value.findings
    assert finding.requirement == "TLS-03" and "an expired client certificate" in finding.expected
    assert finding.actual == "HTTP 200: the resource was served"


def test_a_refusal_proves_nothing_when_the_configured_certificate_is_not_served_either() -> None:
    require_control_served(probe(200), "the provider's mutual TLS")
    for control in (probe(None), probe(403)):
        with pytest.raises(HarnessError, match="control request with the configured client certificate"):
            require_control_served(control, "the provider's mutual TLS")


def test_plain_http_refused_or_answered_by_its_own_error_passes() -> None:
    over_tls = probe(403)
    check_plain_http_refused(over_tls, probe(None, scheme="http"))
    check_plain_http_refused(over_tls, probe(400, "text/html", "http"))  # nginx: "plain HTTP sent to HTTPS port"
    check_plain_http_refused(over_tls, probe(497, "text/html", "http"))


@pytest.mark.parametrize("plain", [probe(200, scheme="http"), probe(403, scheme="http")])
def test_plain_http_served_fails_tls_04(plain: Probe) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_plain_http_refused(probe(403), plain)
    assert raised.value.findings[0].requirement == "TLS-04"


def test_plain_http_cannot_be_judged_without_an_answer_over_tls() -> None:
    with pytest.raises(HarnessError):
        check_plain_http_refused(probe(None), probe(None, scheme="http"))


def test_a_certificate_is_described_for_the_evidence(tmp_path: Path) -> None:
    from spine_conformance.demonstrator.tls import RunCertificates

    certificates = RunCertificates(tmp_path / "tls")
    valid = describe_pem(certificates.issue("c", "client.invalid").pem_path, CLIENT, "the harness")
    expired = describe_pem(certificates.issue_expired("e", "client.invalid").pem_path, CLIENT, "the harness")

    assert valid.names == ("client.invalid",) and "CN=client.invalid" in valid.subject
    assert "Spine Conformance run CA" in valid.issuer and not valid.expired
    assert expired.expired and datetime.fromisoformat(expired.not_after) < datetime.now(UTC)
    assert set(valid.as_dict()) == {
        "role", "presented_by", "subject", "issuer", "names", "not_before", "not_after", "serial", "expired", "sha256"
    }  # fmt: skip


def test_a_failed_handshake_still_records_what_was_presented() -> None:
    presented = CertificateInfo("server", "https://x", "CN=wrong.invalid", "CN=CA", ("wrong.invalid",), "a", "b", "1")
    failed = HandshakeResult(URL, "provider.example", 8443, False, "Hostname mismatch", certificate=presented)
    with pytest.raises(CheckFailed) as raised:
        check_certificate(failed, True)
    assert "it presented CN=wrong.invalid, issued by CN=CA, for wrong.invalid" in raised.value.findings[0].actual
