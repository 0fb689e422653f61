"""Send requests the way the configuration says (TLS, timeout, size cap) and record them."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from spine_conformance.config.model import HttpConfig, TlsConfig
from spine_conformance.findings import CheckFailed, Finding
from spine_conformance.http.exchange import Exchange, ExchangeLog

# Idle pooled connections are dropped well before a server's keep-alive timeout (uvicorn's is 5 s;
# httpx's own expiry is also 5 s), so no request goes out on a connection the server is closing at
# that very moment, which fails as "Server disconnected without sending a response" under load.
KEEPALIVE_EXPIRY_S = 1.0


class TargetUnreachable(AssertionError):
    """No HTTP response: refused, timed out, reset, or the body was too large to accept."""


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


class HarnessHttp:
    """A thin wrapper over one httpx.Client; thread-safe, so racing requests can share it."""

    def __init__(self, tls: TlsConfig, http: HttpConfig, log: ExchangeLog, context: ssl.SSLContext | None = None):
        self._max_body = http.max_body_bytes
        self._timeout = http.timeout_s
        self._client = httpx.Client(
            verify=context or tls_context(tls),
            timeout=http.timeout_s,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
        )
        self._log = log
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

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
        started = time.perf_counter()
        try:
            response = self._client.send(request, stream=True)
            try:
                body = self._read_capped(response)
            finally:
                response.close()
        except httpx.TransportError as exc:
            exchange.elapsed_s = time.perf_counter() - started
            exchange.error = _describe_transport_error(exc, self._timeout)
            _raise_for_transport(exc, exchange.error, url)
            raise  # unreachable; keeps type checkers sure the function never falls through
        exchange.elapsed_s = time.perf_counter() - started
        exchange.status = response.status_code
        exchange.response_headers = list(response.headers.multi_items())
        exchange.response_body = body
        return HttpResponse(response.status_code, response.headers, body, str(request.url), exchange)

    def _read_capped(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_body:
                raise TargetUnreachable(
                    f"the response body from {response.request.url} exceeds {self._max_body} bytes; not read further"
                )
            chunks.append(chunk)
        return b"".join(chunks)


def certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _describe_transport_error(exc: httpx.TransportError, timeout_s: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no response within {timeout_s:g} s ({type(exc).__name__})"
    certificate = certificate_error(exc)
    if certificate is not None:
        return f"TLS certificate verification failed: {certificate.verify_message or certificate}"
    return f"{type(exc).__name__}: {exc or 'connection failed'}"


def _raise_for_transport(exc: httpx.TransportError, description: str, url: str) -> None:
    if certificate_error(exc) is not None:
        raise CheckFailed(
            [
                Finding(
                    "TLS-01",
                    "a server certificate that chains to the configured CAs and matches the host",
                    description,
                    f"connecting to {url}",
                )
            ]
        ) from exc
    raise TargetUnreachable(f"{url}: {description}") from exc
