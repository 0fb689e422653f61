"""Run ASGI apps on uvicorn in one background event loop, bound to loopback port 0.

Sockets are bound before the servers start, so every port is known up front; readiness is
the servers' own ``started`` flag followed by a real HTTPS request to each, within a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from spine_conformance.demonstrator.tls import ServerCertificate
from spine_conformance.http.client import certificate_error

ASGIApp = Callable[..., Any]
READINESS_PATH = "/_ready"


class StartupError(RuntimeError):
    pass


# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: verify a certificate except for its validity dates (a fault mode).
NO_CHECK_TIME = 0x200000


@dataclass(frozen=True)
class ClientAuth:
    """Mutual TLS: the CA whose client certificates a server accepts, and (fault modes) how loosely."""

    ca_path: Path
    verify_mode: ssl.VerifyMode = ssl.CERT_REQUIRED
    check_time: bool = True

    def uvicorn_options(self) -> dict[str, Any]:
        return {"ssl_cert_reqs": int(self.verify_mode), "ssl_ca_certs": str(self.ca_path)}


@dataclass
class HostedApp:
    name: str
    app: ASGIApp
    certificate: ServerCertificate | None  # None: plain HTTP
    sock: socket.socket
    server: uvicorn.Server = field(init=False)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def origin(self) -> str:
        scheme = "https" if self.certificate is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"


class BackgroundServers:
    """Several uvicorn servers sharing one event loop in a daemon thread."""

    def __init__(self) -> None:
        self._apps: dict[str, HostedApp] = {}
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._on_stop: list[Callable[[], Coroutine[Any, Any, None]]] = []

    def add(
        self,
        name: str,
        app: ASGIApp,
        certificate: ServerCertificate | None,
        client_auth: ClientAuth | None = None,
        *,
        date_header: bool = True,
    ) -> HostedApp:
        """Serve ``app`` with TLS from ``certificate`` (requiring client certificates with ``client_auth``),
        or in plain HTTP when ``certificate`` is None (only ever behind a fault mode's front port)."""
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto says
        # TCP, and with Nagle on, every response (headers, then body) waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(512)
        hosted = HostedApp(name, app, certificate, sock)
        tls: dict[str, Any] = {}
        if certificate is not None:
            tls = {"ssl_certfile": str(certificate.pem_path), "ssl_keyfile": str(certificate.pem_path)}
        if certificate is not None and client_auth is not None:
            tls |= client_auth.uvicorn_options()
        config = uvicorn.Config(
            app,
            **tls,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            backlog=512,
            date_header=date_header,  # off only for a fault mode: RFC 7231 requires it
        )
        if client_auth is not None and not client_auth.check_time:
            # uvicorn has no option for it: its context is made now and loosened before it serves.
            config.load()
            assert config.ssl is not None
            config.ssl.verify_flags |= NO_CHECK_TIME
        hosted.server = uvicorn.Server(config)
        self._apps[name] = hosted
        return hosted

    def on_stop(self, close: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``close`` on the servers' loop before they stop (e.g. to close pooled clients)."""
        self._on_stop.append(close)

    def __getitem__(self, name: str) -> HostedApp:
        return self._apps[name]

    def start(self, deadline_s: float = 15.0) -> None:
        self._thread = threading.Thread(target=self._run, name="spine-conformance-servers", daemon=True)
        self._thread.start()
        if not self._ready.wait(deadline_s) or self._failure is not None:
            self.stop()
            raise StartupError(f"embedded servers did not start within {deadline_s:.0f} s: {self._failure!r}")
        self._probe(time.monotonic() + deadline_s)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve_all())
        except BaseException as exc:  # reported to the starting thread, never swallowed
            self._failure = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve_all(self) -> None:
        tasks = [asyncio.create_task(app.server.serve(sockets=[app.sock])) for app in self._apps.values()]
        while not all(app.server.started for app in self._apps.values()):
            failed = [t for t in tasks if t.done()]
            if failed:
                failed[0].result()
                raise StartupError("a server stopped during start-up")
            await asyncio.sleep(0.002)
        self._ready.set()
        await asyncio.gather(*tasks)

    def _probe(self, deadline: float) -> None:
        """One real request to each server: bound and listening is not the same as answering.

        Verification stays on. Some fault modes deliberately serve certificates that must fail it; a
        server that got as far as presenting its certificate is answering, which is all this asks.
        """
        with httpx.Client(timeout=2.0) as client:
            for app in self._apps.values():
                url = f"{app.origin}{READINESS_PATH}"
                while True:
                    try:
                        client.get(url)
                        break
                    except httpx.ConnectError as exc:
                        if certificate_error(exc) is not None:
                            break
                        self._wait_or_fail(app, url, exc, deadline)
                    except httpx.TransportError as exc:
                        self._wait_or_fail(app, url, exc, deadline)

    def _wait_or_fail(self, app: HostedApp, url: str, exc: Exception, deadline: float) -> None:
        if time.monotonic() > deadline:
            self.stop()
            raise StartupError(f"{app.name} on {url} is not answering: {exc}") from exc
        threading.Event().wait(0.01)  # poll interval of the readiness probe

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():
            for close in self._on_stop:
                # Closing is best effort; stopping must go on whatever happens.
                with contextlib.suppress(Exception):
                    asyncio.run_coroutine_threadsafe(close(), loop).result(timeout=5)
        for app in self._apps.values():
            app.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        for app in self._apps.values():
            app.sock.close()
