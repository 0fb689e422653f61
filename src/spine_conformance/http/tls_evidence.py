"""TLS connections as evidence: each one an entry of the scenario's exchanges, with its certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spine_conformance.http.certificates import certificate_exchange
from spine_conformance.http.exchange import Exchange
from spine_conformance.http.tls_probe import Probe

if TYPE_CHECKING:
    from spine_conformance.checks.tls import HandshakeResult


def handshake_evidence(result: HandshakeResult, label: str) -> Exchange:
    certificates = [result.certificate] if result.certificate is not None else []
    verdict = "" if result.verified else result.error or "not verified"
    return certificate_exchange(label, result.url, certificates, error=verdict)


def probe_evidence(probe: Probe, label: str) -> Exchange:
    """A probe's connection: what was presented on it and how it ended (an HTTP status, or why none)."""
    return certificate_exchange(
        f"{label} ({probe.scheme})", probe.url, probe.certificates, error=probe.error, status=probe.status
    )
