"""TLS steps for clients a provider or SSP must not serve: bad client certificates (TLS-03), plain HTTP (TLS-04)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import trustme
from pytest_bdd import parsers, then, when

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.checks.tls import check_client_refused, check_plain_http_refused, require_control_served
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import ExchangeLog, Reachability, tls_context
from spine_conformance.http.certificates import CLIENT, CertificateInfo, describe_pem, describe_pem_bytes
from spine_conformance.http.reachability import origin
from spine_conformance.http.tls_evidence import probe_evidence
from spine_conformance.http.tls_probe import Probe, https_probe, plain_probe
from spine_conformance.interactions import Interaction

NO_CERTIFICATE = "no client certificate"
EXPIRED = "an expired client certificate"
FOREIGN = "a client certificate from another CA"


def _remember_unreachable(reachability: Reachability, probe: Probe) -> None:
    if not probe.answered:
        reachability.unreachable(probe.url, f"{origin(probe.url)}: {probe.error}")


@dataclass(frozen=True)
class ClientAttempt:
    control: Probe  # the same request with the configured client certificate
    attempt: Probe
    presented: str


def _metadata_url(provider: ProviderClient, endpoint: str) -> str:
    if endpoint == "SSP" and not provider.target.provider.ssp_url:
        raise NotTestable("no [provider] ssp_url is configured: the provider is called directly")
    return provider.url_for("metadata", direct=endpoint == "provider")


def _without_client(target: TargetConfig) -> ssl.SSLContext:
    return tls_context(replace(target.tls, client_cert="", client_key=""))


def _with(target: TargetConfig, cert: str, key: str) -> tuple[ssl.SSLContext, CertificateInfo]:
    context = _without_client(target)
    context.load_cert_chain(cert, key or None)
    return context, describe_pem(Path(cert), CLIENT, "the harness")


def _foreign(target: TargetConfig) -> tuple[ssl.SSLContext, CertificateInfo]:
    """A client certificate from a CA made now, which no target has ever been told to trust."""
    stranger = trustme.CA(organization_name="Spine Conformance stranger CA")
    leaf = stranger.issue_cert("spine-conformance-harness.invalid")
    context = _without_client(target)
    leaf.configure_cert(context)  # the key goes through a temporary file trustme removes at once
    return context, describe_pem_bytes(leaf.cert_chain_pems[0].bytes(), CLIENT, "the harness")


@when(
    parsers.parse("the harness connects to the {endpoint} presenting {presented}"),
    target_fixture="client_attempt",
)
def connect_presenting(
    provider: ProviderClient,
    target: TargetConfig,
    exchange_log: ExchangeLog,
    reachability: Reachability,
    endpoint: str,
    presented: str,
) -> ClientAttempt:
    tls = target.tls
    if not tls.client_cert:
        # Not a gap in the assurance: TLS-03 is out of scope for such a target (catalogue condition).
        pytest.skip(
            "TLS-03 applies to a target that authenticates clients by certificate: give [tls] client_cert "
            "and client_key (the certificate it accepts) if it does"
        )
    url = _metadata_url(provider, endpoint)
    reachability.refuse_if_down(url)
    headers = provider.standard_headers(Interaction.READ_METADATA, has_body=False)
    timeout = target.http.timeout_s
    context, configured = _with(target, tls.client_cert, tls.client_key)
    control = https_probe(url, headers, context, timeout, configured)
    exchange_log.add(probe_evidence(control, "control: the configured client certificate"))
    _remember_unreachable(reachability, control)
    if presented == NO_CERTIFICATE:
        context, shown = _without_client(target), None
    elif presented == EXPIRED:
        if not tls.expired_client_cert:
            raise NotTestable(
                "give [tls] expired_client_cert and expired_client_key: an expired certificate from the CA the "
                "target trusts for clients (the harness cannot make one without that CA's key)"
            )
        context, shown = _with(target, tls.expired_client_cert, tls.expired_client_key)
    else:
        context, shown = _foreign(target)
    attempt = https_probe(url, headers, context, timeout, shown)
    exchange_log.add(probe_evidence(attempt, f"presenting {presented}"))
    return ClientAttempt(control, attempt, presented)


@then(parsers.parse("the {endpoint} refused it, although it served the configured client certificate"))
def refused_client(client_attempt: ClientAttempt, endpoint: str) -> None:
    require_control_served(client_attempt.control, f"the {endpoint}'s mutual TLS")
    check_client_refused(client_attempt.attempt, client_attempt.presented)


@dataclass(frozen=True)
class PlainAttempt:
    over_tls: Probe
    plain: Probe


@when(parsers.parse("the harness sends plain HTTP to the {endpoint}'s HTTPS port"), target_fixture="plain_attempt")
def send_plain_http(
    provider: ProviderClient,
    target: TargetConfig,
    tls_trust: ssl.SSLContext,
    exchange_log: ExchangeLog,
    reachability: Reachability,
    endpoint: str,
) -> PlainAttempt:
    url = _metadata_url(provider, endpoint)
    if not url.startswith("https://"):
        raise NotTestable(f"the {endpoint} URL {url} does not use https")
    reachability.refuse_if_down(url)  # an endpoint already found unreachable is not tried again
    # No credentials: nothing that could matter is ever sent in clear.
    headers = {"Accept": "application/fhir+json"}
    timeout = target.http.timeout_s
    client = describe_pem(Path(target.tls.client_cert), CLIENT, "the harness") if target.tls.client_cert else None
    over_tls = https_probe(url, headers, tls_trust, timeout, client)
    exchange_log.add(probe_evidence(over_tls, "the same request over TLS"))
    _remember_unreachable(reachability, over_tls)
    plain = plain_probe(url, headers, timeout)
    exchange_log.add(probe_evidence(plain, "plain HTTP to the HTTPS port"))
    return PlainAttempt(over_tls, plain)


@then("it did not serve the plain HTTP request")
def plain_refused(plain_attempt: PlainAttempt) -> None:
    check_plain_http_refused(plain_attempt.over_tls, plain_attempt.plain)
