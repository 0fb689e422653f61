"""HTTP plumbing shared by the demonstrator's apps: FHIR responses, errors, capped bodies."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from spine_conformance.fhir import outcome
from spine_conformance.fhir.depth import MAX_NESTING, too_deep

FHIR_JSON_UTF8 = "application/fhir+json; charset=utf-8"
MAX_BODY_BYTES = 1024 * 1024
# A client that declares a body must send all of it within this time (a slow-loris bound).
BODY_DEADLINE_S = 10.0


class HttpError(Exception):
    """Abort a request with a Spine OperationOutcome."""

    def __init__(self, status: int, spine_code: str, diagnostics: str, issue_code: str | None = None) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.spine_code = spine_code
        self.diagnostics = diagnostics
        self.issue_code = issue_code


def fhir_response(
    body: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
    media_type: str = FHIR_JSON_UTF8,
) -> Response:
    content = json.dumps(body, separators=(",", ":")).encode()
    return Response(content, status_code=status, headers=headers, media_type=media_type)


def error_response(error: HttpError, media_type: str = FHIR_JSON_UTF8) -> Response:
    body = outcome.spine_error(error.status, error.spine_code, error.diagnostics, issue_code=error.issue_code)
    return fhir_response(body, error.status, media_type=media_type)


async def read_capped_body(request: Request, limit: int = MAX_BODY_BYTES, deadline_s: float = 0.0) -> bytes:
    """The request body, refusing (413) anything larger than ``limit`` without reading it all, and
    (408) a body that does not arrive within ``deadline_s`` (default :data:`BODY_DEADLINE_S`)."""
    deadline_s = deadline_s or BODY_DEADLINE_S
    try:
        async with asyncio.timeout(deadline_s):
            return await _read_capped(request, limit)
    except TimeoutError:
        raise HttpError(408, outcome.BAD_REQUEST, f"the request body did not arrive within {deadline_s:g} s") from None


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpError(400, outcome.BAD_REQUEST, "Content-Length is not a number")
        if int(declared) > limit:
            raise HttpError(413, outcome.BAD_REQUEST, f"request body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HttpError(413, outcome.BAD_REQUEST, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    # Python's json module accepts NaN and Infinity, which are not JSON (RFC 8259).
    raise ValueError(f"{name} is not a JSON value")


def parse_json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN or Infinity
        raise HttpError(400, outcome.BAD_REQUEST, f"{what} is not valid JSON: {exc}") from None
    except RecursionError:  # hostile nesting must be a 400, never a 500
        raise HttpError(400, outcome.BAD_REQUEST, f"{what} is nested too deeply") from None
    if not isinstance(value, dict):
        raise HttpError(400, outcome.BAD_REQUEST, f"{what} is not a JSON object")
    if too_deep(value):  # before anything walks it recursively: hostile nesting is bad input, never a 500
        raise HttpError(400, outcome.BAD_REQUEST, f"{what} is nested more than {MAX_NESTING} levels deep")
    return value


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)
