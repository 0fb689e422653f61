"""A virtual SSP: records every request a consumer sends, then forwards it to the real provider.

It forwards whatever it can make sense of (even a doubled '/'), so the consumer gets real
answers and the journey goes on; judging the request is the checks' job, not the proxy's.
"""

from __future__ import annotations

import ssl
import time
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.demonstrator.provider.http import MAX_BODY_BYTES
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.virtual.journal import Journal, RecordedRequest

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"}
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]


def forwarded_target(raw_path: str) -> str | None:
    """The provider URL in an SSP request path, tolerating extra slashes before it."""
    candidate = raw_path.lstrip("/")
    parts = urlsplit(candidate)
    return candidate if parts.scheme in ("http", "https") and parts.netloc else None


class VirtualSsp:
    def __init__(self, name: str, provider_base_url: str, provider_trust: ssl.SSLContext, timeout_s: float) -> None:
        self.name = name
        self.journal = Journal()
        self.provider_base_url = provider_base_url.rstrip("/")
        self._trust = provider_trust
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route("/{path:path}", self.handle, methods=METHODS),
            ]
        )

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        body = (await request.body())[:MAX_BODY_BYTES]
        recorded = RecordedRequest(
            self.name, request.method, raw_path, request.url.query, list(request.headers.items()), body, time.time()
        )
        self.journal.record(recorded)
        target = forwarded_target(raw_path)
        if target is None or not self.provider_base_url or not target.startswith(self.provider_base_url):
            recorded.forwarded = False
            return self._answer(recorded, JSONResponse({"error": "not an SSP request to the provider under test"}, 403))
        if self._client is None:  # made lazily so it belongs to the server's event loop
            self._client = httpx.AsyncClient(verify=self._trust, timeout=self._timeout_s)
        url = target + (f"?{request.url.query}" if request.url.query else "")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            answer = await self._client.request(request.method, url, headers=headers, content=body)
        except httpx.TimeoutException:
            recorded.forwarded = False
            recorded.error = f"the provider {self.provider_base_url} did not answer within {self._timeout_s:g} s"
            return self._answer(recorded, JSONResponse({"error": recorded.error}, 504))
        except httpx.HTTPError as exc:
            recorded.forwarded = False
            recorded.error = f"the provider {self.provider_base_url} could not be reached ({exc or type(exc).__name__})"
            return self._answer(recorded, JSONResponse({"error": recorded.error}, 502))
        reply_headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP | {"content-encoding"}}
        return self._answer(recorded, Response(answer.content, answer.status_code, reply_headers))

    def _answer(self, recorded: RecordedRequest, response: Response) -> Response:
        recorded.status = response.status_code
        recorded.response_headers = [(k, v) for k, v in response.headers.items()]
        recorded.response_body = bytes(response.body)
        self.journal.updated()
        return response
