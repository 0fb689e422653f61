"""The virtual services of one consumer-suite session, on loopback with TLS from their own CA.

Besides the virtual SSP and RTEC, two more SSPs present certificates a consumer must refuse
(TLS-02): one for another host name, one from a CA the consumer was never given.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

from spine_conformance.config.model import TargetConfig
from spine_conformance.demonstrator.servers import BackgroundServers
from spine_conformance.demonstrator.tls import RunCertificates, untrusted_certificate
from spine_conformance.http import tls_context
from spine_conformance.virtual.rtec import SEARCH_PATH, VirtualRtec
from spine_conformance.virtual.ssp import VirtualSsp

BAD_CERTIFICATES = ("wrong-host", "untrusted-ca")


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
        self.ssp = VirtualSsp("ssp", target.provider.base_url, trust, timeout)
        self.rtec = VirtualRtec(target.consumer_under_test.slow_response_s)
        self.bad_ssps = {name: VirtualSsp(name, target.provider.base_url, trust, timeout) for name in BAD_CERTIFICATES}
        self.servers = BackgroundServers()
        self._ssp_host = self.servers.add("virtual-ssp", self.ssp.app, self.certificates.server)
        self._rtec_host = self.servers.add("virtual-rtec", self.rtec.app, self.certificates.server)
        self._bad_hosts = {
            "wrong-host": self.servers.add(
                "ssp-wrong-host",
                self.bad_ssps["wrong-host"].app,
                self.certificates.issue("wrong-host", "wrong-host.invalid"),
            ),
            "untrusted-ca": self.servers.add(
                "ssp-untrusted-ca",
                self.bad_ssps["untrusted-ca"].app,
                untrusted_certificate(self.certificates.directory),
            ),
        }
        for virtual in (self.ssp, *self.bad_ssps.values()):
            self.servers.on_stop(virtual.close)

    @property
    def ssp_url(self) -> str:
        return self._ssp_host.origin + "/"

    @property
    def rtec_url(self) -> str:
        return self._rtec_host.origin + SEARCH_PATH

    def bad_ssp_url(self, name: str) -> str:
        return self._bad_hosts[name].origin + "/"

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
