"""Send requests the way the configuration says (TLS, timeout, size cap) and record them."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import httpx

from spine_conformance.config.model import HttpConfig, TlsConfig
from spine_conformance.findings import CheckFailed, Finding, HarnessError
from spine_conformance.http.exchange import Exchange, ExchangeLog
from spine_conformance.http.reachability import Reachability, TargetUnreachable, origin
from spine_conformance.http.transport_errors import CERTIFICATE, CONNECT, certificate_error, describe_transport_error

__all__ = ["HarnessHttp", "HttpResponse", "ResponseNotJson", "TargetUnreachable", "certificate_error", "tls_context"]

# Idle pooled connections are dropped well before a server's keep-alive timeout (uvicorn's is 5 s;
# httpx's own expiry is also 5 s), so no request goes out on a connection the server is closing at
# that very moment, which fails as "Server disconnected without sending a response" under load.
KEEPALIVE_EXPIRY_S = 1.0


class ResponseNotJson(ValueError):
    pass


def tls_context(tls: TlsConfig) -> ssl.SSLContext:
    """The client TLS context the configuration asks for; verification is on unless turned off."""
    if tls.verify:
        context = ssl.create_default_context(cafile=tls.ca_bundle or None)
    else:
        # Only ever reached from an explicit `tls.verify = false`, which the report shows.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if tls.client_cert:
        context.load_cert_chain(tls.client_cert, tls.client_key or None)
    return context


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str
    exchange: Exchange

    @property
    def media_type(self) -> str:
        return str(self.headers.get("content-type", "")).split(";")[0].strip().lower()

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            preview = self.body[:120].decode("utf-8", "replace")
            raise ResponseNotJson(f"the response body is not JSON ({exc}): {preview!r}") from None
        except RecursionError:  # hostile nesting: a clear finding, never a crash of the harness
            raise ResponseNotJson("the response body is JSON nested too deeply to read") from None


# Racing requests (8 at a time) share one client; a few more for set-up around them.
WORKERS = 16
# How long past http.timeout_s a request may take before the caller stops waiting for it.
DEADLINE_GRACE_S = 0.5


class HarnessHttp:
    """A thin wrapper over one httpx.Client; thread-safe, so racing requests can share it."""

    def __init__(
        self,
        tls: TlsConfig,
        http: HttpConfig,
        log: ExchangeLog,
        context: ssl.SSLContext | None = None,
        reachability: Reachability | None = None,
    ):
        self._max_body = http.max_body_bytes
        self._timeout = http.timeout_s
        self._verify = context or tls_context(tls)
        self._client = self._new_client()
        self._log = log
        self._lock = threading.Lock()
        self._reachability = reachability or Reachability()
        # Each exchange runs on a worker so the caller can stop waiting at the deadline, whatever the
        # server does (httpx's timeout bounds each read; a server dripping its headers never trips it).
        self._workers = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="harness-http")

    def _new_client(self) -> httpx.Client:
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S)
        return httpx.Client(verify=self._verify, timeout=self._timeout, limits=limits)

    def close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    def _abandon(self) -> None:
        """A request outlived its deadline: drop every connection (ending the stuck read) and start afresh."""
        with self._lock:
            stuck, self._client = self._client, self._new_client()
        stuck.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Sequence[tuple[str, str]] | None = None,
        content: bytes = b"",
        label: str = "",
        interaction: str = "",
    ) -> HttpResponse:
        query: list[tuple[str, str | int | float | bool | None]] = list(params or [])
        request = self._client.build_request(method, url, headers=headers, params=query, content=content or None)
        exchange = Exchange(
            label or f"{method} {request.url.path}",
            method,
            str(request.url),
            list(request.headers.multi_items()),
            content,
            time.time(),
            interaction=interaction,
        )
        with self._lock:
            self._log.add(exchange)
        try:
            self._reachability.refuse_if_down(url)
        except TargetUnreachable as down:
            exchange.error = down.message
            raise
        started = time.perf_counter()
        client = self._client
        try:
            response, body = self._workers.submit(self._exchange, client, request, started).result(
                timeout=self._timeout + DEADLINE_GRACE_S
            )
        except FutureTimeout:
            self._abandon()
            timed_out = httpx.ReadTimeout("no complete answer by the deadline", request=request)
            exchange.elapsed_s = time.perf_counter() - started
            self._raise_for_transport(timed_out, exchange, url)
            raise  # unreachable
        except httpx.TransportError as exc:
            exchange.elapsed_s = time.perf_counter() - started
            self._raise_for_transport(exc, exchange, url)
            raise  # unreachable; keeps type checkers sure the function never falls through
        self._reachability.answered(url)
        exchange.elapsed_s = time.perf_counter() - started
        exchange.status = response.status_code
        exchange.response_headers = list(response.headers.multi_items())
        exchange.response_body = body
        return HttpResponse(response.status_code, response.headers, body, str(request.url), exchange)

    def _raise_for_transport(self, exc: httpx.TransportError, exchange: Exchange, url: str) -> None:
        kind, text = describe_transport_error(exc, self._timeout)
        exchange.error = text
        if kind == CERTIFICATE:  # the target's certificate is its own failure, not the run's
            raise CheckFailed(
                [
                    Finding(
                        "TLS-01",
                        "a server certificate that chains to the configured CAs and matches the host",
                        text,
                        f"connecting to {url}",
                    )
                ]
            ) from exc
        cause = f"{origin(url)}: {text}"
        if kind == CONNECT:
            self._reachability.unreachable(url, cause)
        else:
            self._reachability.unanswered(url, cause)
        raise TargetUnreachable(f"{url}: {text}", cause) from exc

    def _exchange(self, client: httpx.Client, request: httpx.Request, started: float) -> tuple[httpx.Response, bytes]:
        response = client.send(request, stream=True)
        try:
            return response, self._read_capped(response, started)
        finally:
            response.close()

    def _read_capped(self, response: httpx.Response, started: float) -> bytes:
        # httpx's timeout bounds each read; a server dripping a byte at a time would never trip it,
        # so the whole answer also has to arrive within the timeout.
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_body:
                raise HarnessError(
                    f"the response body from {response.request.url} exceeds http.max_body_bytes "
                    f"({self._max_body} bytes); not read further",
                    f"{origin(str(response.request.url))}: a response larger than http.max_body_bytes",
                )
            if time.perf_counter() - started > self._timeout:
                raise httpx.ReadTimeout("the whole response did not arrive in time", request=response.request)
            chunks.append(chunk)
        return b"".join(chunks)
