"""The demonstrator's mutual-TLS mode and its TLS-level fault modes, seen at the connection level.

In mutual-TLS mode the provider and the SSP stand-in serve only clients presenting a certificate
from the run CA that has not expired; each fault loosens exactly one part of that on the provider.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import trustme

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import ExchangeLog, HarnessHttp, tls_context
from spine_conformance.http.tls_probe import Probe, https_probe, plain_probe
from spine_conformance.interactions import Interaction

TIMEOUT_S = 5.0


def metadata(demo: Demonstrator, via_ssp: bool = False) -> tuple[str, dict[str, str]]:
    config = demo.config
    client = ProviderClient(HarnessHttp(config.tls, config.http, ExchangeLog()), config)
    headers = client.standard_headers(Interaction.READ_METADATA, has_body=False)
    return client.url_for("metadata", direct=not via_ssp), headers


def context(demo: Demonstrator, certificate: str = "") -> ssl.SSLContext:
    tls = replace(demo.config.tls, client_cert=certificate, client_key=certificate)
    return tls_context(tls)


def foreign_context(demo: Demonstrator) -> ssl.SSLContext:
    tls = context(demo)
    trustme.CA().issue_cert("stranger.invalid").configure_cert(tls)
    return tls


def probe(demo: Demonstrator, tls: ssl.SSLContext, via_ssp: bool = False) -> Probe:
    url, headers = metadata(demo, via_ssp)
    return https_probe(url, headers, tls, TIMEOUT_S)


@pytest.fixture(scope="module")
def mutual() -> Iterator[Demonstrator]:
    with Demonstrator(mutual_tls=True) as demo:
        yield demo


@pytest.mark.parametrize("via_ssp", [False, True], ids=["provider", "ssp"])
def test_mutual_tls_serves_the_run_client_certificate_only(mutual: Demonstrator, via_ssp: bool) -> None:
    tls = mutual.config.tls

    assert probe(mutual, context(mutual, tls.client_cert), via_ssp).status == 200
    assert not probe(mutual, context(mutual), via_ssp).answered
    assert not probe(mutual, context(mutual, tls.expired_client_cert), via_ssp).answered
    assert not probe(mutual, foreign_context(mutual), via_ssp).answered


def test_the_target_it_describes_carries_a_valid_and_an_expired_client_certificate(mutual: Demonstrator) -> None:
    tls = mutual.config.tls

    assert tls.client_cert and tls.client_key == tls.client_cert
    assert tls.expired_client_cert and Path(tls.expired_client_cert).is_file()
    assert Demonstrator().config.tls.client_cert == ""  # mutual TLS is a mode, never the default


@pytest.mark.parametrize(
    ("fault", "served"),
    [
        ("mtls-client-cert-optional", {"none"}),
        ("mtls-expiry-unchecked", {"expired"}),
        ("mtls-client-cert-unverified", {"none", "expired", "foreign"}),
    ],
)
def test_each_mutual_tls_fault_serves_exactly_its_clients(fault: str, served: set[str]) -> None:
    with Demonstrator(faults=[fault]) as demo:
        assert demo.mutual_tls  # the fault switches the mode on by itself
        tls = demo.config.tls
        attempts = {
            "none": context(demo),
            "expired": context(demo, tls.expired_client_cert),
            "foreign": foreign_context(demo),
        }
        answered = {name for name, attempt in attempts.items() if probe(demo, attempt).status == 200}
        ssp_answered = {name for name, attempt in attempts.items() if probe(demo, attempt, via_ssp=True).answered}

    assert answered == served
    assert ssp_answered == set()  # the faults loosen the provider only


def test_plain_http_served_answers_plain_http_on_the_https_port() -> None:
    with Demonstrator(faults=["plain-http-served"]) as demo:
        url, headers = metadata(demo)
        over_tls = https_probe(url, headers, context(demo), TIMEOUT_S)
        plain = plain_probe(url, headers, TIMEOUT_S)

    assert (over_tls.status, plain.status) == (200, 200)
    assert over_tls.certificates and not plain.certificates


def test_a_conformant_https_port_does_not_answer_plain_http(mutual: Demonstrator) -> None:
    with Demonstrator() as demo:
        url, headers = metadata(demo)
        plain = plain_probe(url, headers, TIMEOUT_S)

    assert not plain.answered, plain
