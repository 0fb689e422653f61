"""The virtual services of one consumer-suite session, on loopback with TLS from their own CA.

Besides the virtual SSP and RTEC, each has three twins presenting certificates a consumer must
refuse (TLS-02): one for another host name, one from a CA the consumer was never given, and one
from the run's own CA that has expired.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

from spine_conformance.config.model import TargetConfig
from spine_conformance.demonstrator.servers import BackgroundServers
from spine_conformance.demonstrator.tls import RunCertificates, ServerCertificate, untrusted_certificate
from spine_conformance.http import Exchange, tls_context
from spine_conformance.http.certificates import SERVER, certificate_exchange, describe_pem, origin_of
from spine_conformance.virtual.rtec import SEARCH_PATH, VirtualRtec
from spine_conformance.virtual.ssp import VirtualSsp

BAD_CERTIFICATES = ("wrong-host", "untrusted-ca", "expired")


class VirtualServices:
    def __init__(
        self, target: TargetConfig, workdir: Path | None = None, provider_trust: ssl.SSLContext | None = None
    ) -> None:
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="spine-conformance-virtual-"))
        self.certificates = RunCertificates(self.workdir / "tls")
        self.state_dir = self.workdir / "consumer-state"
        self.state_dir.mkdir(exist_ok=True)
        # How the virtual SSP trusts the provider it forwards to: the target's [tls] settings.
        trust: ssl.SSLContext = provider_trust or tls_context(target.tls)
        timeout = target.http.timeout_s
        slow = target.consumer_under_test.slow_response_s
        self.ssp = VirtualSsp("ssp", target.provider.base_url, trust, timeout)
        self.rtec = VirtualRtec(slow)
        self.bad_ssps = {name: VirtualSsp(name, target.provider.base_url, trust, timeout) for name in BAD_CERTIFICATES}
        self.bad_rtecs = {name: VirtualRtec(slow, name=f"rtec-{name}") for name in BAD_CERTIFICATES}
        # Requirements whose "nothing was sent" verdicts a control request has backed this session.
        self.controls: set[str] = set()
        self.servers = BackgroundServers()
        self._ssp_host = self.servers.add("virtual-ssp", self.ssp.app, self.certificates.server)
        self._rtec_host = self.servers.add("virtual-rtec", self.rtec.app, self.certificates.server)
        self.bad_certificates = {name: self._bad_certificate(name) for name in BAD_CERTIFICATES}
        self._bad_ssp_hosts = {
            name: self.servers.add(f"ssp-{name}", self.bad_ssps[name].app, self.bad_certificates[name])
            for name in BAD_CERTIFICATES
        }
        self._bad_rtec_hosts = {
            name: self.servers.add(f"rtec-{name}", self.bad_rtecs[name].app, self.bad_certificates[name])
            for name in BAD_CERTIFICATES
        }
        for virtual in (self.ssp, *self.bad_ssps.values()):
            self.servers.on_stop(virtual.close)

    def _bad_certificate(self, name: str) -> ServerCertificate:
        if name == "wrong-host":
            return self.certificates.issue("wrong-host", "wrong-host.invalid")
        if name == "untrusted-ca":
            return untrusted_certificate(self.certificates.directory)
        return self.certificates.issue_expired("expired")

    @property
    def ssp_url(self) -> str:
        return self._ssp_host.origin + "/"

    @property
    def rtec_url(self) -> str:
        return self._rtec_host.origin + SEARCH_PATH

    def bad_ssp_url(self, name: str) -> str:
        return self._bad_ssp_hosts[name].origin + "/"

    def bad_rtec_url(self, name: str) -> str:
        return self._bad_rtec_hosts[name].origin + SEARCH_PATH

    def certificate_evidence(self, name: str, url: str) -> Exchange:
        """Evidence of what the twin presenting certificate ``name`` showed the consumer at ``url``."""
        presented = describe_pem(self.bad_certificates[name].pem_path, SERVER, origin_of(url))
        return certificate_exchange(f"certificate presented to the consumer ({name})", url, [presented])

    @property
    def ca_bundle(self) -> Path:
        return self.certificates.ca_path

    def start(self) -> VirtualServices:
        self.servers.start()
        return self

    def stop(self) -> None:
        """Stop the servers and remove the folder holding their private keys and the consumer's state."""
        try:
            self.servers.stop()
        finally:
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
