"""TLS steps."""

from __future__ import annotations

import ssl

from pytest_bdd import parsers, then, when

from spine_conformance.checks.tls import HandshakeResult, check_certificate, handshake
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import ExchangeLog
from spine_conformance.http.tls_evidence import handshake_evidence


def _endpoint(target: TargetConfig, which: str) -> str:
    urls = {
        "provider": target.provider.base_url,
        "SSP": target.provider.ssp_url,
        "exemption service": target.exemption.url,
    }
    url = urls[which]
    if not url:
        raise NotTestable(f"no URL is configured for the {which}")
    return url


@when(parsers.parse("the harness opens a TLS connection to the {which}"), target_fixture="handshake_result")
def open_tls(target: TargetConfig, tls_trust: ssl.SSLContext, exchange_log: ExchangeLog, which: str) -> HandshakeResult:
    result = handshake(_endpoint(target, which), tls_trust, target.http.timeout_s)
    exchange_log.add(handshake_evidence(result, f"TLS handshake with the {which}"))
    return result


@then("the server certificate chains to the configured CAs and matches the host name")
def certificate_verified(handshake_result: HandshakeResult, target: TargetConfig) -> None:
    check_certificate(handshake_result, target.tls.verify)
