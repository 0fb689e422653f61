"""The provider's HTTP layer: content negotiation (JSON and XML), compressed bodies, return
preference, caching and CORS headers.

The demonstrator meets the Booking pages, FHIR STU3 and both assurance packs' own rules at once
(TKW: gzip both ways, XML and JSON; GP Connect: ``Cache-Control: no-store``, ``_format`` over
Accept, CORS pre-flight), so it passes whichever profiles a run selects. Handlers build JSON; the
answer is turned into XML here when that was asked for, so both formats carry the same content.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import MAX_BODY_BYTES, HttpError, parse_json_object
from spine_conformance.fhir import outcome
from spine_conformance.fhir.media import (
    BODY_TYPES,
    FHIR_JSON,
    JSON,
    MIME_OF,
    XML,
    UnsupportedFormat,
    accepted_format,
    format_of,
    media_type,
    negotiate,
)
from spine_conformance.fhir.xml import FhirXmlError, json_to_xml, xml_to_json
from spine_conformance.interactions import Interaction

ALLOWED_HEADERS = (
    "Accept, Authorization, Content-Type, Content-Encoding, If-Match, Prefer, "
    "Ssp-From, Ssp-InteractionID, Ssp-To, Ssp-TraceID"
)
ALLOWED_METHODS = "GET, POST, PUT, OPTIONS"
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def response_format(request: Request, interaction: Interaction | None, faults: FaultSet) -> str:
    """The format to answer in; an unknown ``_format`` on a slot search is a bad query (BK: 400),
    anywhere else an unsupported format (GP Connect: 415)."""
    accept = None if faults.on("accept-ignored") else request.headers.get("accept")
    parameter = None if faults.on("format-parameter-ignored") else request.query_params.get("_format")
    content_type = request.headers.get("content-type")
    try:
        nothing_named = parameter is None and not format_of(content_type) and accepted_format(accept) is None
        if nothing_named and faults.on("format-default-xml"):  # no Accept (or */*), no _format, no body
            return XML
        chosen = negotiate(accept, parameter, content_type)
    except UnsupportedFormat as unsupported:
        lenient_search = interaction is Interaction.SEARCH_SLOT and faults.on("slot-bad-query-accepted")
        if faults.on("unsupported-format-served") or lenient_search:
            return JSON
        if parameter is not None and interaction is Interaction.SEARCH_SLOT:
            raise HttpError(400, outcome.INVALID_PARAMETER, str(unsupported)) from None
        raise HttpError(415, outcome.UNSUPPORTED_MEDIA_TYPE, str(unsupported), issue_code="not-supported") from None
    return JSON if chosen == XML and faults.on("xml-not-served") else chosen


def decoded_body(request: Request, body: bytes, faults: FaultSet) -> bytes:
    """The request body with its Content-Encoding undone (gzip; a bomb stops at the body size cap)."""
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if not body or encoding in ("", "identity"):
        return body
    if encoding != "gzip" or faults.on("gzip-requests-refused"):
        raise HttpError(415, outcome.UNSUPPORTED_MEDIA_TYPE, f"Content-Encoding {encoding} is not supported")
    inflater = zlib.decompressobj(wbits=31)
    try:
        plain = inflater.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error as error:
        raise HttpError(400, outcome.BAD_REQUEST, f"the gzip body could not be decoded: {error}") from None
    if len(plain) > MAX_BODY_BYTES or inflater.unconsumed_tail:
        raise HttpError(413, outcome.BAD_REQUEST, f"request body over {MAX_BODY_BYTES} bytes once decompressed")
    return plain


def fhir_body(request: Request, body: bytes, faults: FaultSet) -> dict[str, Any]:
    """The resource a POST or PUT carries, read as its Content-Type says (JSON or XML), or 415."""
    declared = media_type(request.headers.get("content-type"))
    fmt = BODY_TYPES.get(declared)
    if fmt is None and faults.on("any-content-type"):  # the fault reads whatever it is sent
        fmt = XML if body.lstrip().startswith(b"<") else JSON
    if fmt is None:
        raise HttpError(
            415,
            outcome.UNSUPPORTED_MEDIA_TYPE,
            f"Content-Type must be {FHIR_JSON} or {MIME_OF[XML]}, not {declared or '(none)'}",
            issue_code="not-supported",
        )
    if fmt == JSON:
        return parse_json_object(body, "the request body")
    try:
        return xml_to_json(body)
    except FhirXmlError as error:
        raise HttpError(400, outcome.BAD_REQUEST, f"the request body is not FHIR XML: {error}") from None


def finish(request: Request, response: Response, fmt: str, faults: FaultSet) -> Response:
    """The handler's JSON answer in the negotiated format, honouring ``Prefer: return=minimal``."""
    if response.media_type is None or not response.media_type.startswith(FHIR_JSON):
        return response
    minimal = response.status_code in (200, 201) and request.method in ("POST", "PUT") and _prefers_minimal(request)
    if minimal and not faults.on("prefer-ignored"):
        return _rebuilt(response, b"", None)
    charset = "" if faults.on("no-charset") else "; charset=utf-8"
    if fmt != XML:
        return (
            _rebuilt(response, bytes(response.body), media_type(response.media_type) + charset)
            if not charset
            else response
        )
    media = "application/xml" if faults.on("xml-wrong-media-type") else MIME_OF[XML]
    return _rebuilt(response, json_to_xml(json.loads(bytes(response.body))), media + charset)


def _prefers_minimal(request: Request) -> bool:
    preferences = [part.strip().lower() for part in request.headers.get("prefer", "").split(",")]
    return "return=minimal" in preferences


def _rebuilt(response: Response, body: bytes, media: str | None) -> Response:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    return Response(body, status_code=response.status_code, headers=headers, media_type=media)


def is_preflight(request: Request) -> bool:
    return (
        request.method == "OPTIONS"
        and "origin" in request.headers
        and "access-control-request-method" in request.headers
    )


def preflight(request: Request, faults: FaultSet) -> Response:
    """A CORS pre-flight: the origin, the methods and the headers a browser client needs."""
    if faults.on("cors-preflight-refused"):
        raise HttpError(405, outcome.BAD_REQUEST, "OPTIONS is not supported", issue_code="not-supported")
    headers = {
        "Access-Control-Allow-Origin": request.headers["origin"],
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": request.headers.get("access-control-request-headers") or ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }
    return Response(status_code=204, headers=headers)


class AnswerHeaders:
    """Adds ``Cache-Control: no-store`` (GP Connect) and the CORS origin to every answer, errors included."""

    def __init__(self, app: ASGIApp, faults: FaultSet) -> None:
        self.app = app
        self.no_store = not faults.on("cache-control-missing")

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = next((value for name, value in scope["headers"] if name == b"origin"), None)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if self.no_store and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if origin is not None and b"access-control-allow-origin" not in names:
                    headers.append((b"access-control-allow-origin", origin))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
