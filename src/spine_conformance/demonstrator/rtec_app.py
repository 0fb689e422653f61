"""The reference Real Time Exemption Checking service: ``POST /rtec-api-gateway/search`` (digest B).

A request is handled in this order: body size (413), bearer token (401, no body), Content-Type
(415), JSON object (400), the five fields (400 naming them), then the seeded lookup (200 or 404).
Every answer with a body is ``{"message", "type"}`` as ``application/json``; 401 and 5xx have no
body (RTEC errors.md). Every request is recorded (bounded) so the consumer suite can inspect
what a consumer sent, ``Ssp-From`` included.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import HttpError, parse_json_object, read_capped_body
from spine_conformance.demonstrator.rtec_data import find_exemption
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.exemption.fields import FIELDS, request_problems
from spine_conformance.findings import Finding
from spine_conformance.tokens import inspect_rtec_token

log = logging.getLogger(__name__)

RTEC_PATH = "/rtec-api-gateway/search"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
TOKEN_LEEWAY_S = 30  # clock skew tolerated between consumer and service
SLOW_DELAY_S = 5.0  # fault rtec-slow: longer than the 2 s timeout the demonstrator then advertises
RECEIVED_LIMIT = 1000  # requests kept for inspection; older ones are dropped
RECEIVED_BYTES = 8 * 1024 * 1024  # and never more body bytes than this in all
MAX_NAME_SHOWN = 64  # unknown field names are echoed in 400 messages, but never at any length

FOUND = "Exemption has been found"
NOT_FOUND = "Exemption has not been found"
INVALID = "Please provide a valid "
INVALID_REQUEST = INVALID + "request"
JSON_ONLY = "Content-Type must be application/json"
JSON = "application/json"
REALM = "rtec-api-gateway"


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the service received it (headers as sent, names lower-cased)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    received_at: float  # seconds since the epoch

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)

    @property
    def ssp_from(self) -> str | None:
        return self.header("ssp-from")


class _Answer(Exception):
    """Stops handling a request: ``response`` is the answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def rtec_json(message: str, exemption_type: str | None = None, status: int = 200) -> Response:
    return JSONResponse({"message": message, "type": exemption_type}, status_code=status)


# The rtec-500-with-body fault's answer: a server error page, where errors.md returns no body.
ERROR_PAGE = b"<html><body><h1>500 Internal Server Error</h1></body></html>"


def token_challenge(findings: list[Finding], authorization: str | None) -> str:
    """An RFC 6750 §3 challenge whose description says why, never quoting the token.

    A request without bearer credentials gets the bare challenge: RFC 6750 §3.1 says the resource
    server SHOULD NOT include an error code or other error information then.
    """
    value = (authorization or "").strip()
    if not value or value.split(" ", 1)[0].lower() != "bearer":
        return f'Bearer realm="{REALM}"'
    if any(f.detail == "the token could not be decoded" for f in findings):
        reason = "the bearer token is malformed"
    elif any(f.detail == "token expired" for f in findings):
        reason = "the bearer token has expired"
    else:
        reason = "the bearer token claims are not valid"
    return f'Bearer realm="{REALM}", error="invalid_token", error_description="{reason}"'


def _shown(name: str) -> str:
    return name if len(name) <= MAX_NAME_SHOWN else name[: MAX_NAME_SHOWN - 1] + "…"


def _in_documented_order(body: dict[str, Any]) -> bool:
    known = [name for name in body if name in FIELDS]
    return known == [name for name in FIELDS if name in body]


class RtecApp:
    def __init__(
        self,
        faults: FaultSet | None = None,
        received_limit: int = RECEIVED_LIMIT,
        received_bytes: int = RECEIVED_BYTES,
    ) -> None:
        self.faults = faults or FaultSet()
        # Known once the server's port is bound: the token's aud and requested_scope are judged against it.
        self.url = ""
        self._received: deque[ReceivedRequest] = deque(maxlen=received_limit)
        self._received_bytes = received_bytes
        self._lock = threading.Lock()  # the server loop appends while test or suite threads read
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route("/{path:path}", self.handle, methods=ALL_METHODS),
            ]
        )

    @property
    def received(self) -> list[ReceivedRequest]:
        """A snapshot of the requests received so far, oldest first (at most ``received_limit``)."""
        with self._lock:
            return list(self._received)

    def clear_received(self) -> None:
        with self._lock:
            self._received.clear()

    def _record(self, request: Request, body: bytes) -> None:
        headers = tuple((name, value) for name, value in request.headers.items())
        entry = ReceivedRequest(request.method, request.url.path, headers, body, time.time())
        with self._lock:
            self._received.append(entry)
            while sum(len(kept.body) for kept in self._received) > self._received_bytes and len(self._received) > 1:
                self._received.popleft()

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def handle(self, request: Request) -> Response:
        try:
            response = await self._route(request)
        except _Answer as answer:
            response = answer.response
        except ClientDisconnect:  # the client went away: nobody to answer, and not a defect of ours
            return Response(status_code=499)
        except Exception:  # a defect, not bad input: logged, and answered as the spec's bodiless 500
            log.exception("RTEC service defect handling %s %s", request.method, request.url.path)
            response = Response(status_code=500)
        if self.faults.on("rtec-slow"):
            await asyncio.sleep(SLOW_DELAY_S)
        if self.faults.on("rtec-json-as-text") and response.headers.get("content-type", "").startswith(JSON):
            response.headers["content-type"] = "text/plain; charset=utf-8"
        return response

    async def _route(self, request: Request) -> Response:
        path = request.url.path
        if path != RTEC_PATH:
            self._record(request, b"")
            return rtec_json(f"No endpoint at {_shown(path)}", status=404)
        if request.method != "POST":
            self._record(request, b"")
            response = rtec_json(f"Method {request.method} is not allowed; use POST", status=405)
            response.headers["Allow"] = "POST"
            return response
        return await self._search(request)

    async def _search(self, request: Request) -> Response:
        # The token first, from the headers alone: an unauthenticated request's body is never read or kept.
        self._check_token(request)
        body = await self._read_body(request)
        self._check_content_type(request)
        fields = self._parse(body)
        self._validate(fields)
        return self._lookup(fields)

    async def _read_body(self, request: Request) -> bytes:
        try:
            body = await read_capped_body(request)
        except HttpError as error:  # over 1 MiB, an unreadable Content-Length, or too slow
            self._record(request, b"")
            message = {413: "Request body is larger than 1 MiB", 408: "Request body too slow"}.get(
                error.status, INVALID_REQUEST
            )
            raise _Answer(rtec_json(message, status=error.status)) from None
        self._record(request, body)
        return body

    def _check_token(self, request: Request) -> None:
        if self.faults.on("rtec-token-unchecked"):
            return
        authorization = request.headers.get("authorization")
        now = int(time.time())
        findings = inspect_rtec_token(authorization, endpoint_url=self.url, now=now, leeway_s=TOKEN_LEEWAY_S)
        if findings:
            status = 403 if self.faults.on("rtec-token-error-403") else 401
            challenge = token_challenge(findings, authorization)
            self._record(request, b"")  # seen, but its body is neither read nor kept
            if self.faults.on("rtec-401-json-body"):
                raise _Answer(rtec_json("Unauthorised", status=status))
            raise _Answer(Response(status_code=status, headers={"WWW-Authenticate": challenge}))

    def _check_content_type(self, request: Request) -> None:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json" and not self.faults.on("rtec-any-content-type"):
            raise _Answer(rtec_json(JSON_ONLY, status=415))

    def _parse(self, body: bytes) -> dict[str, Any]:
        try:
            return parse_json_object(body, "the request body")
        except HttpError:  # not JSON, not UTF-8, nested too deeply, or not an object
            raise _Answer(self._invalid()) from None

    def _invalid(self, names: Iterable[str] = ()) -> Response:
        shown = sorted(_shown(name) for name in names)
        if not shown or self.faults.on("rtec-400-unnamed"):
            return rtec_json(INVALID_REQUEST, status=400)
        return rtec_json(INVALID + ", ".join(shown), status=400)

    def _validate(self, body: dict[str, Any]) -> None:
        if self.faults.on("rtec-extra-field-500") and any(name not in FIELDS for name in body):
            raise _Answer(Response(status_code=500))
        if self.faults.on("rtec-order-sensitive") and not _in_documented_order(body):
            raise _Answer(self._invalid())
        problems = self._problems(body)
        if problems:
            raise _Answer(self._invalid(problems))

    def _problems(self, body: dict[str, Any]) -> dict[str, str]:
        problems = request_problems(body)
        if self.faults.on("rtec-missing-field-accepted"):
            problems = {name: text for name, text in problems.items() if name in body}
        if self.faults.on("rtec-format-unchecked"):
            # Only presence (and unknown fields) still count: a present known field is taken as it is.
            problems = {name: text for name, text in problems.items() if name not in FIELDS or name not in body}
        return problems

    def _lookup(self, body: dict[str, Any]) -> Response:
        if self.faults.on("rtec-500"):
            return Response(status_code=500)
        if self.faults.on("rtec-500-with-body"):
            return Response(ERROR_PAGE, status_code=500, media_type="text/html")
        if self.faults.on("rtec-503"):
            return Response(status_code=503)
        found = find_exemption(body)
        if found is None:
            return rtec_json(NOT_FOUND, None, 200 if self.faults.on("rtec-not-found-200") else 404)
        return rtec_json(FOUND, None if self.faults.on("rtec-found-type-null") else found.type)
