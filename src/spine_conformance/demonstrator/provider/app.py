"""The reference appointments provider: a Starlette app guarded by the SSP headers and the JWT.

Every request is routed by (verb, path) to one of the six interactions, its ``Ssp-*`` headers
and bearer token are checked against that interaction, and only then is it handled. Every
4xx/5xx carries a Spine OperationOutcome; malformed input never produces a 500.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.config.model import SpecChoices
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider import appointments, slots
from spine_conformance.demonstrator.provider.capability import PATIENT_SEARCH_PARAMETER, capability_statement
from spine_conformance.demonstrator.provider.http import (
    FHIR_JSON_UTF8,
    HttpError,
    error_response,
    fhir_response,
    http_date,
    parse_json_object,
    read_capped_body,
    weak_etag,
)
from spine_conformance.demonstrator.provider.store import Store, StoredAppointment
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.fhir import outcome
from spine_conformance.interactions import INTERACTIONS, Interaction, interaction_for
from spine_conformance.tokens import inspect_appointments_token

log = logging.getLogger(__name__)
BASE_PATH = "/STU3/1"
TOKEN_LEEWAY_S = 30


@dataclass
class ProviderSettings:
    asid: str
    spec: SpecChoices
    faults: FaultSet
    # Known once the server's port is bound; the JWT aud and every absolute URL use it.
    base_url: str = ""
    rules: appointments.ProviderRules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = appointments.ProviderRules(self.spec.slot_conflict_status)


class ProviderApp:
    def __init__(self, store: Store, settings: ProviderSettings) -> None:
        self.store = store
        self.settings = settings
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route(
                    BASE_PATH + "/{path:path}",
                    self.dispatch,
                    methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
                ),
                Route("/{path:path}", self.not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            ]
        )

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def not_found(self, request: Request) -> Response:
        return error_response(HttpError(404, outcome.NO_RECORD_FOUND, f"no FHIR endpoint at {request.url.path}"))

    async def dispatch(self, request: Request) -> Response:
        try:
            body = await read_capped_body(request)
            interaction = self._route(request)
            self._guard(request, interaction)
            return self._handle(request, interaction, body)
        except HttpError as error:
            return error_response(error)
        except Exception:  # a defect, not bad input: still an OperationOutcome, and logged
            log.exception("provider defect handling %s %s", request.method, request.url.path)
            return error_response(HttpError(500, outcome.INTERNAL_SERVER_ERROR, "internal error"))

    def _route(self, request: Request) -> Interaction:
        relative = request.path_params["path"]
        found = interaction_for(request.method, relative, bool(request.url.query))
        if found is not None:
            return found
        if any(spec.path_pattern.fullmatch(relative.strip("/")) for spec in INTERACTIONS.values()):
            raise HttpError(
                405,
                outcome.BAD_REQUEST,
                f"{request.method} is not supported on {relative}",
                issue_code="not-supported",
            )
        raise HttpError(404, outcome.NO_RECORD_FOUND, f"no resource or operation at {relative}")

    def _guard(self, request: Request, interaction: Interaction) -> None:
        spec = self.settings.spec
        header_findings = ssp_header_findings(
            request.headers,
            interaction=interaction,
            expected_to=self.settings.asid,
            slot_interaction=spec.slot_interaction,
        )
        if header_findings:
            raise HttpError(400, outcome.MISSING_OR_INVALID_HEADER, "; ".join(f.describe() for f in header_findings))
        token_findings = inspect_appointments_token(
            request.headers.get("authorization"),
            audience=self.settings.base_url,
            interaction=interaction,
            now=int(time.time()),
            practitioner_required=spec.practitioner_required,
            leeway_s=TOKEN_LEEWAY_S,
        )
        if token_findings:
            status = spec.token_error_status
            raise HttpError(
                status,
                outcome.ACCESS_DENIED if status != 400 else outcome.BAD_REQUEST,
                "; ".join(f.describe() for f in token_findings),
            )

    def _handle(self, request: Request, interaction: Interaction, body: bytes) -> Response:
        base = self.settings.base_url
        relative = request.path_params["path"].strip("/")
        self_url = f"{base}/{relative}" + (f"?{request.url.query}" if request.url.query else "")
        items = list(request.query_params.multi_items())
        if interaction is Interaction.READ_METADATA:
            media = "application/json" if self.settings.faults.on("metadata-plain-json") else FHIR_JSON_UTF8
            return fhir_response(capability_statement(base, self.settings.faults), media_type=media)
        if interaction is Interaction.SEARCH_SLOT:
            return fhir_response(slots.slot_bundle(self.store, slots.parse_slot_query(items), base, self_url))
        if interaction is Interaction.SEARCH_APPOINTMENT:
            found = appointments.search(self.store, items, PATIENT_SEARCH_PARAMETER)
            return fhir_response(appointments.searchset(base, found, self_url))
        if interaction is Interaction.CREATE_APPOINTMENT:
            created = appointments.create(self.store, self._fhir_body(request, body), self.settings.rules)
            return self._versioned(created, 201)
        parts = relative.split("/")
        if interaction is Interaction.READ_APPOINTMENT:
            version = parts[3] if len(parts) == 4 else None
            return self._versioned(appointments.read(self.store, parts[1], version), 200)
        updated = appointments.cancel(
            self.store, parts[1], self._fhir_body(request, body), request.headers.get("if-match")
        )
        return self._versioned(updated, 200)

    def _fhir_body(self, request: Request, body: bytes) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/fhir+json", "application/json"):
            raise HttpError(
                415,
                outcome.UNSUPPORTED_MEDIA_TYPE,
                f"Content-Type must be application/fhir+json, not {content_type or '(none)'}",
            )
        return parse_json_object(body, "the request body")

    def _versioned(self, stored: StoredAppointment, status: int) -> Response:
        location = f"{self.settings.base_url}/Appointment/{stored.id}/_history/{stored.version}"
        headers = {
            "ETag": weak_etag(stored.version),
            "Last-Modified": http_date(datetime.fromisoformat(stored.last_modified)),
            "Location": location,
        }
        return fhir_response(stored.resource, status, headers)
