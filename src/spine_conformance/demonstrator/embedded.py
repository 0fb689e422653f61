"""The embedded demonstrator: provider, SSP stand-in, $validate and RTEC on loopback with run TLS.

In its mutual-TLS mode (``mutual_tls=True``, ``serve --mutual-tls``, or a fault that concerns mutual
TLS) the provider and the SSP stand-in require a client certificate from the run CA; the target it
describes then carries one (``[tls] client_cert``) and an expired one (``[tls] expired_client_cert``).
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from spine_conformance.config.model import (
    ExemptionConfig,
    HttpConfig,
    ProviderConfig,
    SpecChoices,
    TargetConfig,
    TlsConfig,
    ValidateConfig,
)
from spine_conformance.config.rules import ASSURANCE_PROFILES
from spine_conformance.demonstrator.consumer_profile import reference_consumer
from spine_conformance.demonstrator.dual_port import DualProtocolPort
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.app import BASE_PATH, ProviderApp, ProviderSettings
from spine_conformance.demonstrator.provider.seed import SERVICE_WITHOUT_SLOTS
from spine_conformance.demonstrator.provider.store import Store
from spine_conformance.demonstrator.rtec_app import RTEC_PATH, RtecApp
from spine_conformance.demonstrator.servers import BackgroundServers, ClientAuth
from spine_conformance.demonstrator.ssp_proxy import SspApp, SspSettings
from spine_conformance.demonstrator.tls import RunCertificates, ServerCertificate, untrusted_certificate
from spine_conformance.demonstrator.validate_app import VALIDATE_BASE_PATH, ValidateApp
from spine_conformance.fhir.validator import preload_models

PROVIDER_ASID = "918999198993"
SERVICE_ID = "918999198999"
CLIENT_NAME = "spine-conformance-harness.invalid"  # the run's client certificates (mutual-TLS mode)


class Demonstrator:
    """Start with :meth:`start` (or ``with``); :attr:`config` then describes it as a target."""

    def __init__(
        self,
        faults: Iterable[str] = (),
        spec: SpecChoices | None = None,
        workdir: Path | None = None,
        mutual_tls: bool = False,
    ) -> None:
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="spine-conformance-demo-"))
        self.faults = FaultSet(faults)
        # It meets every assurance pack's own rules too, so out of the box they are all judged.
        self.spec = spec or SpecChoices(profiles=ASSURANCE_PROFILES)
        self.mutual_tls = mutual_tls or self.faults.need_mutual_tls
        self.certificates = RunCertificates(self.workdir / "tls")
        self.client_certificate: ServerCertificate | None = None
        self.expired_client_certificate: ServerCertificate | None = None
        if self.mutual_tls:
            self.client_certificate = self.certificates.issue("client", CLIENT_NAME)
            self.expired_client_certificate = self.certificates.issue_expired("expired-client", CLIENT_NAME)
        self.store = Store(self.workdir / "provider.sqlite3")
        self.store.reset()
        self.provider_settings = ProviderSettings(PROVIDER_ASID, self.spec, self.faults)
        self.servers = BackgroundServers()
        self._ssp = SspApp(
            SspSettings(
                trust=self._ssp_downstream_trust(),
                slot_interaction=self.spec.slot_interaction,
                faults=self.faults,
            )
        )
        cert = self.certificates.server
        provider_app = ProviderApp(self.store, self.provider_settings).app
        self._provider = self.servers.add(
            "provider",
            provider_app,
            self._provider_certificate(),
            self._client_auth(for_provider=True),
            date_header=not self.faults.on("no-date-header"),
        )
        self._front: DualProtocolPort | None = None
        if self.faults.on("plain-http-served"):
            plain = self.servers.add("provider-plain", provider_app, None)
            self._front = DualProtocolPort(self._provider.port, plain.port)
        self._ssp_host = self.servers.add("ssp", self._ssp.app, cert, self._client_auth(for_provider=False))
        self.servers.on_stop(self._ssp.close)
        self._validator = self.servers.add("validator", ValidateApp(self.faults).app, cert)
        provider_origin = f"https://127.0.0.1:{self._front.port}" if self._front else self._provider.origin
        self.provider_settings.base_url = provider_origin + BASE_PATH
        self._ssp.settings.endpoints[self.provider_settings.base_url] = PROVIDER_ASID
        self.rtec = RtecApp(self.faults)
        self._rtec_host = self.servers.add("rtec", self.rtec.app, cert)
        self.rtec.url = self._rtec_host.origin + RTEC_PATH

    def _client_auth(self, for_provider: bool) -> ClientAuth | None:
        """Mutual TLS for the provider and the SSP stand-in; the faults loosen the provider's only."""
        if not self.mutual_tls:
            return None
        strict = ClientAuth(self.certificates.ca_path)
        if not for_provider:
            return strict
        if self.faults.on("mtls-client-cert-unverified"):
            return ClientAuth(self.certificates.ca_path, verify_mode=ssl.CERT_NONE)
        if self.faults.on("mtls-client-cert-optional"):
            return ClientAuth(self.certificates.ca_path, verify_mode=ssl.CERT_OPTIONAL)
        if self.faults.on("mtls-expiry-unchecked"):
            return ClientAuth(self.certificates.ca_path, check_time=False)
        return strict

    def _ssp_downstream_trust(self) -> ssl.SSLContext:
        """How the SSP stand-in connects to the provider: the run CA, and its client certificate in mutual TLS."""
        context = self.certificates.client_context()
        if self.client_certificate is not None:
            context.load_cert_chain(str(self.client_certificate.pem_path))
        return context

    def _provider_certificate(self) -> ServerCertificate:
        if self.faults.on("tls-wrong-hostname"):
            return self.certificates.issue("wrong-host", "provider.invalid")
        if self.faults.on("tls-untrusted-ca"):
            return untrusted_certificate(self.certificates.directory)
        return self.certificates.server

    @property
    def provider_base_url(self) -> str:
        return self.provider_settings.base_url

    @property
    def ssp_url(self) -> str:
        return self._ssp_host.origin + "/"

    @property
    def validate_base_url(self) -> str:
        return self._validator.origin + VALIDATE_BASE_PATH

    @property
    def rtec_url(self) -> str:
        return self.rtec.url

    @property
    def config(self) -> TargetConfig:
        return TargetConfig(
            name="Embedded demonstrator",
            provider=ProviderConfig(
                base_url=self.provider_base_url,
                asid=PROVIDER_ASID,
                ssp_url=self.ssp_url,
                healthcare_service=SERVICE_ID,
                slot_window_days=7,
                service_without_free_slots=SERVICE_WITHOUT_SLOTS,
            ),
            exemption=ExemptionConfig(url=self.rtec_url),
            validate=ValidateConfig(base_url=self.validate_base_url),
            spec=self.spec,
            tls=self._tls_config(),
            # With rtec-slow the service answers after 5 s; a 2 s timeout makes that a visible timeout.
            http=HttpConfig(timeout_s=2) if self.faults.on("rtec-slow") else HttpConfig(),
            # The reference consumer is the default consumer under test.
            consumer_under_test=reference_consumer(),
            source="embedded demonstrator",
        )

    def _tls_config(self) -> TlsConfig:
        ca = str(self.certificates.ca_path)
        if self.client_certificate is None or self.expired_client_certificate is None:
            return TlsConfig(verify=True, ca_bundle=ca)
        # Certificate and key travel in one PEM file, which serves as both.
        client, expired = str(self.client_certificate.pem_path), str(self.expired_client_certificate.pem_path)
        return TlsConfig(
            verify=True,
            ca_bundle=ca,
            client_cert=client,
            client_key=client,
            expired_client_cert=expired,
            expired_client_key=expired,
        )

    def direct_config(self) -> TargetConfig:
        """The same target without the SSP: requests go straight to the provider."""
        config = self.config
        return replace(config, provider=replace(config.provider, ssp_url=""))

    def start(self) -> Demonstrator:
        preload_models()  # the first booking should not pay for importing the FHIR models
        self.servers.start()
        if self._front is not None:
            self._front.start()
        return self

    def stop(self) -> None:
        if self._front is not None:
            self._front.stop()
        self.servers.stop()
        self.store.close()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def reset(self) -> None:
        self.store.reset()

    def __enter__(self) -> Demonstrator:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
