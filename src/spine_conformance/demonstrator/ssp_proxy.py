"""A stand-in Spine Secure Proxy: ``https://ssp/https://provider/...`` forwarded to the provider.

It accepts only providers registered with it (the part SDS plays), checks the ``Ssp-*``
headers, forwards headers and body unchanged, and answers with the SSP's own errors
(digest A2): 403 not authorised, 405 bad verb, 415 bad media type, 502 downstream offline,
504 downstream timeout.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import (
    HttpError,
    error_response,
    read_capped_body,
)
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.fhir import outcome
from spine_conformance.http.client import KEEPALIVE_EXPIRY_S
from spine_conformance.interactions import DEFAULT_SLOT_INTERACTION, interaction_for, relative_to_base
from spine_conformance.ssp import split_ssp_url

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "host",
    "content-length",
}
FORWARDED_METHODS = {"GET", "POST", "PUT"}
FHIR_BODY_TYPES = {"application/fhir+json", "application/json", "application/fhir+xml"}


@dataclass
class SspSettings:
    trust: ssl.SSLContext
    # Registered endpoints: provider FHIR base URL -> the provider's ASID.
    endpoints: dict[str, str] = field(default_factory=dict)
    slot_interaction: str = DEFAULT_SLOT_INTERACTION
    downstream_timeout_s: float = 10.0
    faults: FaultSet = field(default_factory=FaultSet)


class SspApp:
    def __init__(self, settings: SspSettings) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route(
                    "/{target:path}", self.forward, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
                ),
            ]
        )

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    def _downstream(self) -> httpx.AsyncClient:
        # Made lazily so it belongs to the server's own event loop.
        if self._client is None:
            self._client = httpx.AsyncClient(
                verify=self.settings.trust,
                timeout=self.settings.downstream_timeout_s,
                # Shorter than the provider's keep-alive timeout: see http.client.KEEPALIVE_EXPIRY_S.
                limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
            )
        return self._client

    async def forward(self, request: Request) -> Response:
        try:
            target, provider_asid, relative = self._target(request)
            if not _cors_preflight(request):  # a browser's pre-flight carries no SSP headers: passed on
                self._check(request, provider_asid, relative)
            body = await read_capped_body(request)
            return await self._send(request, target, body)
        except HttpError as error:
            return error_response(error)

    def _target(self, request: Request) -> tuple[str, str, str]:
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        target = split_ssp_url(raw_path)
        if target is None:
            raise HttpError(
                400,
                outcome.BAD_REQUEST,
                "the request path must be one '/' followed by the provider's absolute URL",
            )
        for base_url, asid in self.settings.endpoints.items():
            relative = relative_to_base(target, base_url)
            if relative is not None:
                query = request.url.query
                return target + (f"?{query}" if query else ""), asid, relative
        raise HttpError(
            403, outcome.ACCESS_DENIED, "the target URL is not a registered endpoint", issue_code="forbidden"
        )

    def _check(self, request: Request, provider_asid: str, relative: str) -> None:
        if request.method not in FORWARDED_METHODS:
            raise HttpError(
                405,
                outcome.BAD_REQUEST,
                f"{request.method} is not supported by the SSP",
                issue_code="not-supported",
            )
        if request.method in ("POST", "PUT"):
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media not in FHIR_BODY_TYPES:
                raise HttpError(
                    415,
                    outcome.UNSUPPORTED_MEDIA_TYPE,
                    f"unsupported media type {media or '(none)'}",
                    issue_code="not-supported",
                )
        if self.settings.faults.on("ssp-forwards-bad-headers"):
            return
        interaction = interaction_for(request.method, relative, bool(request.url.query))
        findings = ssp_header_findings(
            request.headers, interaction=interaction, slot_interaction=self.settings.slot_interaction
        )
        # Absent or malformed headers are a bad request; a well-formed interaction ID that does not
        # fit the request is a consumer not authorised for what it asked (403).
        missing = [f for f in findings if f.requirement != "SSP-HDR-04" or f.actual == "(absent)"]
        if missing:
            raise HttpError(400, outcome.MISSING_OR_INVALID_HEADER, "; ".join(f.describe() for f in missing))
        if findings:
            raise HttpError(
                403, outcome.ACCESS_DENIED, "; ".join(f.describe() for f in findings), issue_code="forbidden"
            )
        if request.headers.get("ssp-to") != provider_asid:
            raise HttpError(
                403,
                outcome.ACCESS_DENIED,
                f"Ssp-To {request.headers.get('ssp-to')} is not the ASID registered for this endpoint",
                issue_code="forbidden",
            )

    async def _send(self, request: Request, target: str, body: bytes) -> Response:
        headers = _forwardable(request.headers)
        client = self._downstream()
        try:
            # Streamed, so a compressed answer is passed on as it came, Content-Encoding and all.
            answer = await client.send(
                client.build_request(request.method, target, headers=headers, content=body), stream=True
            )
            try:
                raw = b"".join([chunk async for chunk in answer.aiter_raw()])
            finally:
                await answer.aclose()
        except httpx.TimeoutException:
            raise HttpError(
                504,
                outcome.INTERNAL_SERVER_ERROR,
                "the provider did not answer in time",
                issue_code="transient",
            ) from None
        except httpx.TransportError as exc:
            raise HttpError(
                502,
                outcome.INTERNAL_SERVER_ERROR,
                f"the provider could not be reached: {exc}",
                issue_code="transient",
            ) from None
        return Response(raw, status_code=answer.status_code, headers=_forwardable(answer.headers))

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def _cors_preflight(request: Request) -> bool:
    return request.method == "OPTIONS" and {"origin", "access-control-request-method"} <= set(request.headers)


def _forwardable(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() not in HOP_BY_HOP}
