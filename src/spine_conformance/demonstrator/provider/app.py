"""The reference appointments provider: a Starlette app guarded by the SSP headers and the JWT.

Every request is routed by (verb, path) to one of the six interactions, its ``Ssp-*`` headers
and bearer token are checked against that interaction, and only then is it handled. Every
4xx/5xx carries a Spine OperationOutcome; malformed input never produces a 500.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.config.model import SpecChoices
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider import appointments, rest, slots
from spine_conformance.demonstrator.provider.capability import capability_statement
from spine_conformance.demonstrator.provider.http import (
    FHIR_JSON_UTF8,
    HttpError,
    error_response,
    fhir_response,
    http_date,
    read_capped_body,
)
from spine_conformance.demonstrator.provider.request_ids import RequestIds
from spine_conformance.demonstrator.provider.store import Store, StoredAppointment
from spine_conformance.demonstrator.provider.token_faults import faulty_token_findings
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.fhir import outcome
from spine_conformance.fhir.media import JSON
from spine_conformance.fhir.versioning import weak_etag
from spine_conformance.findings import Finding
from spine_conformance.interactions import INTERACTIONS, PATIENT_SEARCH_PARAMETER, Interaction, interaction_for
from spine_conformance.tokens import (
    TOKEN_LIFETIME_S,
    MalformedToken,
    bearer_token,
    decode_unverified,
    encode_unsigned,
    inspect_appointments_token,
)

log = logging.getLogger(__name__)
BASE_PATH = "/STU3/1"
TOKEN_LEEWAY_S = 30
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
# Answers smaller than this are not worth compressing; level 5 keeps large slot Bundles cheap to serve.
GZIP_MINIMUM_BYTES = 500
GZIP_LEVEL = 5


@dataclass
class ProviderSettings:
    asid: str
    spec: SpecChoices
    faults: FaultSet
    # Known once the server's port is bound; the JWT aud and every absolute URL use it.
    base_url: str = ""
    rules: appointments.ProviderRules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = appointments.ProviderRules(self.spec.slot_conflict_status, self.faults, self.spec.edition)


class ProviderApp:
    def __init__(self, store: Store, settings: ProviderSettings) -> None:
        self.store = store
        self.settings = settings
        faults = settings.faults
        gzip = [] if faults.on("gzip-responses-off") else [Middleware(GZipMiddleware, GZIP_MINIMUM_BYTES, GZIP_LEVEL)]
        self.request_ids = RequestIds()  # the 2.x edition's X-Request-ID values seen so far
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route(BASE_PATH + "/{path:path}", self.dispatch, methods=METHODS),
                Route("/{path:path}", self.not_found, methods=METHODS),
            ],
            middleware=[Middleware(rest.AnswerHeaders, faults), *gzip],
        )

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def not_found(self, request: Request) -> Response:
        return self._error(HttpError(404, outcome.NO_RECORD_FOUND, f"no FHIR endpoint at {request.url.path}"))

    async def dispatch(self, request: Request) -> Response:
        faults = self.settings.faults
        fmt = JSON  # errors found before the format is known are JSON
        try:
            if rest.is_preflight(request):  # a browser's CORS pre-flight carries no SSP headers or token
                return rest.preflight(request, faults)
            body = rest.decoded_body(request, await read_capped_body(request), faults)
            interaction = self._route(request)
            fmt = rest.response_format(request, interaction, faults)
            self._guard(request, interaction)
            return rest.finish(request, await self._handle(request, interaction, body), fmt, faults)
        except HttpError as error:
            return rest.finish(request, self._error(error), fmt, faults)
        except ClientDisconnect:  # the client went away: nobody to answer, and not a defect of ours
            return Response(status_code=499)
        except Exception:  # a defect, not bad input: still an OperationOutcome, and logged
            log.exception("provider defect handling %s %s", request.method, request.url.path)
            return self._error(HttpError(500, outcome.INTERNAL_SERVER_ERROR, "internal error"))

    def _error(self, error: HttpError) -> Response:
        if self.settings.faults.on("errors-without-outcome"):
            return PlainTextResponse(error.diagnostics, status_code=error.status)
        return error_response(error)

    def _route(self, request: Request) -> Interaction:
        relative = request.path_params["path"]
        faults = self.settings.faults
        found = interaction_for(request.method, relative, bool(request.url.query))
        if found is None and faults.on("wrong-verb-served"):  # any verb is served as if it were a GET
            found = interaction_for("GET", relative, bool(request.url.query))
        if found is not None:
            return found
        known_path = any(spec.path_pattern.fullmatch(relative.strip("/")) for spec in INTERACTIONS.values())
        if not known_path and faults.on("unknown-path-500"):
            raise HttpError(500, outcome.INTERNAL_SERVER_ERROR, f"unhandled path {relative}")
        if known_path:
            raise HttpError(
                405,
                outcome.BAD_REQUEST,
                f"{request.method} is not supported on {relative}",
                issue_code="not-supported",
            )
        raise HttpError(404, outcome.NO_RECORD_FOUND, f"no resource or operation at {relative}")

    def _guard(self, request: Request, interaction: Interaction) -> None:
        spec = self.settings.spec
        faults = self.settings.faults
        header_findings = ssp_header_findings(
            request.headers,
            interaction=interaction,
            expected_to=self.settings.asid,
            slot_interaction=spec.slot_interaction,
        )
        unchecked = faults.on("ssp-headers-unchecked") or (
            faults.on("ssp-headers-unchecked-on-writes") and request.method in ("POST", "PUT")
        )
        if header_findings and not unchecked:
            raise HttpError(400, outcome.MISSING_OR_INVALID_HEADER, "; ".join(f.describe() for f in header_findings))
        token_findings = [] if faults.on("jwt-unchecked") else self._token_findings(request, interaction)
        if token_findings:
            status = spec.token_error_status
            raise HttpError(
                status,
                outcome.ACCESS_DENIED if status != 400 else outcome.BAD_REQUEST,
                "; ".join(f.describe() for f in token_findings),
            )

    def _token_findings(self, request: Request, interaction: Interaction) -> list[Finding]:
        now = int(time.time())
        sent = authorization = request.headers.get("authorization")
        if self.settings.faults.on("jwt-expiry-unchecked"):
            authorization = _as_if_unexpired(authorization, now)
        findings = inspect_appointments_token(
            authorization,
            audience=self.settings.base_url,
            interaction=interaction,
            now=now,
            practitioner_required=self.settings.spec.practitioner_required,
            leeway_s=TOKEN_LEEWAY_S,
        )
        return faulty_token_findings(findings, sent, interaction, self.settings.faults)

    async def _handle(self, request: Request, interaction: Interaction, body: bytes) -> Response:
        if self.settings.spec.edition == "2" and interaction in (
            Interaction.CREATE_APPOINTMENT,
            Interaction.UPDATE_APPOINTMENT,
        ):
            client_id = self.request_ids.claim(request.headers, self.settings.faults)
            response = await self._serve(request, interaction, body)
            response.headers.update(RequestIds.answer_headers(client_id, self.settings.faults))
            return response
        return await self._serve(request, interaction, body)

    async def _serve(self, request: Request, interaction: Interaction, body: bytes) -> Response:
        base = self.settings.base_url
        faults = self.settings.faults
        relative = request.path_params["path"].strip("/")
        self_url = f"{base}/{relative}" + (f"?{request.url.query}" if request.url.query else "")
        items = list(request.query_params.multi_items())
        if interaction is Interaction.READ_METADATA:
            media = "application/json" if faults.on("metadata-plain-json") else FHIR_JSON_UTF8
            return fhir_response(capability_statement(base, faults), media_type=media)
        if interaction is Interaction.SEARCH_SLOT:
            query = slots.parse_slot_query(items, faults, self.settings.spec.edition, self.settings.spec.busy_search)
            return fhir_response(slots.slot_bundle(self.store, query, base, self_url, faults))
        if interaction is Interaction.SEARCH_APPOINTMENT:
            found = appointments.search(self.store, items, PATIENT_SEARCH_PARAMETER, faults)
            if faults.on("patient-search-empty"):
                found = []
            with_history = not faults.on("patient-search-fullurl-without-history")
            return fhir_response(appointments.searchset(base, found, self_url, with_history=with_history))
        if interaction is Interaction.CREATE_APPOINTMENT:
            created = await appointments.create(self.store, self._fhir_body(request, body), self.settings.rules, base)
            if faults.on("create-response-drops-comment"):
                created = _without(created, "description", "comment")
            return self._versioned(
                created,
                200 if faults.on("create-returns-200") else 201,
                etag=not faults.on("create-no-etag"),
                last_modified=not faults.on("create-no-last-modified"),
                absolute_location=not faults.on("create-relative-location"),
            )
        parts = relative.split("/")
        if interaction is Interaction.READ_APPOINTMENT:
            version = parts[3] if len(parts) == 4 else None
            not_found = 400 if faults.on("read-unknown-400") else 404
            found_version = appointments.read(self.store, parts[1], version, not_found_status=not_found)
            if faults.on("appointment-meta-profile-dropped"):
                meta = {k: v for k, v in found_version.resource.get("meta", {}).items() if k != "profile"}
                found_version = replace(found_version, resource={**found_version.resource, "meta": meta})
            return self._versioned(found_version, 200, etag=not faults.on("read-no-etag"))
        if faults.on("put-unknown-500") and self.store.appointment(parts[1]) is None:
            raise HttpError(500, outcome.INTERNAL_SERVER_ERROR, f"Appointment/{parts[1]} could not be updated")
        updated = await appointments.cancel(
            self.store,
            parts[1],
            self._fhir_body(request, body),
            request.headers.get("if-match"),
            self.settings.rules,
            base,
        )
        if faults.on("cancel-response-drops-description"):
            updated = _without(updated, "description")
        return self._versioned(
            updated,
            200,
            last_modified=not faults.on("cancel-no-last-modified"),
            location=not faults.on("cancel-no-location"),
        )

    def _fhir_body(self, request: Request, body: bytes) -> dict[str, Any]:
        return rest.fhir_body(request, body, self.settings.faults)

    def _versioned(
        self,
        stored: StoredAppointment,
        status: int,
        *,
        etag: bool = True,
        last_modified: bool = True,
        absolute_location: bool = True,
        location: bool = True,
    ) -> Response:
        """The appointment with its version headers (the keyword arguments are for fault modes only)."""
        path = f"Appointment/{stored.id}/_history/{stored.version}"
        headers = {"Location": f"{self.settings.base_url}/{path}" if absolute_location else path} if location else {}
        if etag:
            headers["ETag"] = weak_etag(stored.version)
        if last_modified:
            headers["Last-Modified"] = http_date(datetime.fromisoformat(stored.last_modified))
        return fhir_response(stored.resource, status, headers)


def _without(stored: StoredAppointment, *keys: str) -> StoredAppointment:
    """The appointment as answered with ``keys`` left out (fault modes that lose what was sent)."""
    return replace(stored, resource={k: v for k, v in stored.resource.items() if k not in keys})


def _as_if_unexpired(authorization: str | None, now: int) -> str | None:
    """The token with ``exp`` = ``iat`` + 300 and ``iat`` no earlier than ``now`` (fault jwt-expiry-unchecked).

    The provider then judges everything but expiry and lifetime as usual; a token it cannot read, or
    whose iat or exp is not an integer, is left as it is, so those rules still apply.
    """
    try:
        token = decode_unverified(bearer_token(authorization))
    except MalformedToken:
        return authorization
    iat, exp = token.claims.get("iat"), token.claims.get("exp")
    if type(iat) is not int or type(exp) is not int:  # not bool, float or anything else
        return authorization
    issued = max(iat, now)  # an iat in the future stays in the future
    claims = {**token.claims, "iat": issued, "exp": issued + TOKEN_LIFETIME_S}
    return "Bearer " + encode_unsigned(claims, token.header) + token.signature
