"""A virtual RTEC service: records every request and answers as the scenario needs."""

from __future__ import annotations

import asyncio
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.demonstrator.provider.http import MAX_BODY_BYTES
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.virtual.journal import Journal, RecordedRequest

SEARCH_PATH = "/rtec-api-gateway/search"
FOUND = {"message": "Exemption has been found", "type": "0001"}
# An answer that is not the documented {message, type} (the acceptance criteria's "invalid response").
INVALID_BODY = b"<html><body>Service temporarily unavailable</body></html>"
MODES = ("found", "error-500", "error-503", "slow", "invalid")


class VirtualRtec:
    def __init__(self, slow_response_s: float, name: str = "rtec") -> None:
        self.name = name
        self.journal = Journal()
        self.mode = "found"
        self.slow_response_s = slow_response_s
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route("/{path:path}", self.handle, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            ]
        )

    def answer_with(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown virtual RTEC mode {mode!r}; known: {', '.join(MODES)}")
        self.mode = mode

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        recorded = RecordedRequest(
            self.name,
            request.method,
            raw_path,
            request.url.query,
            list(request.headers.items()),
            (await request.body())[:MAX_BODY_BYTES],
            time.time(),
        )
        self.journal.record(recorded)
        mode = self.mode
        if mode == "slow":
            await asyncio.sleep(self.slow_response_s)  # deliberately slower than a client should wait
        response: Response
        if mode == "error-500":
            response = Response(status_code=500)
        elif mode == "error-503":
            response = Response(status_code=503)
        elif mode == "invalid":
            response = Response(INVALID_BODY, status_code=200, media_type="text/html")
        else:
            response = JSONResponse(FOUND)
        recorded.status = response.status_code
        recorded.response_headers = list(response.headers.items())
        recorded.response_body = bytes(response.body)
        self.journal.updated()
        return response
