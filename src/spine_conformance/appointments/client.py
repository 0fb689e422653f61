"""The harness acting as a spec-conformant appointments consumer towards a provider.

Every request goes to the SSP URL joined with the provider URL (or straight to the provider
when no SSP is configured), with the four Ssp-* headers and a freshly minted JWT for its
interaction. Negative scenarios change exactly one thing through ``overrides``. For a target of the
Booking 2.x edition it also speaks 2.x: an X-Request-ID on every write and the 2.x include names.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction, slot_query_for_edition
from spine_conformance.ssp import SspIdentity, join_ssp_url
from spine_conformance.tokens import bearer, mint_appointments_token

FHIR_JSON = "application/fhir+json"
# Booking 2.x (BK-head book_an_appointment.md, Headers): the client's id for a create or an update, and
# the server's echo of it when it assigns its own.
REQUEST_ID = "X-Request-ID"
CORRELATION_ID = "X-Correlation-ID"
WRITES = (Interaction.CREATE_APPOINTMENT, Interaction.UPDATE_APPOINTMENT)


@dataclass(frozen=True)
class RequestOverrides:
    """Deliberate deviations for negative scenarios: header values to set, or None to drop."""

    headers: Mapping[str, str | None] = field(default_factory=dict)
    direct: bool = False  # bypass the SSP and call the provider URL itself


class ProviderClient:
    def __init__(self, http: HarnessHttp, target: TargetConfig, clock: Callable[[], float] = time.time) -> None:
        self.http = http
        self.target = target
        self.clock = clock
        self.identity = SspIdentity(target.consumer.asid, target.provider.asid, target.spec.slot_interaction)

    @property
    def base_url(self) -> str:
        return self.target.provider.base_url.rstrip("/")

    def url_for(self, relative: str, direct: bool = False) -> str:
        provider_url = f"{self.base_url}/{relative.lstrip('/')}"
        return provider_url if direct else join_ssp_url(self.target.provider.ssp_url, provider_url)

    def token(self, interaction: Interaction) -> str:
        return mint_appointments_token(
            self.target.consumer,
            self.base_url,
            interaction,
            now=int(self.clock()),
            include_practitioner=True,
        )

    def standard_headers(self, interaction: Interaction, has_body: bool) -> dict[str, str]:
        headers = self.identity.headers(interaction)
        headers["Authorization"] = bearer(self.token(interaction))
        headers["Accept"] = FHIR_JSON
        if has_body:
            headers["Content-Type"] = f"{FHIR_JSON};charset=utf-8"
        if self.target.spec.edition == "2" and interaction in WRITES:
            headers[REQUEST_ID] = str(uuid.uuid4())
        return headers

    def send(
        self,
        interaction: Interaction,
        relative: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: Mapping[str, Any] | bytes | None = None,
        extra_headers: Mapping[str, str] | None = None,
        overrides: RequestOverrides | None = None,
        label: str = "",
        method: str = "",
    ) -> HttpResponse:
        overrides = overrides or RequestOverrides()
        content = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
        headers = self.standard_headers(interaction, body is not None)
        headers.update(extra_headers or {})
        for name, value in overrides.headers.items():
            for existing in [key for key in headers if key.lower() == name.lower()]:
                del headers[existing]
            if value is not None:
                headers[name] = value
        if interaction is Interaction.SEARCH_SLOT and params is not None:
            # The includes as the target's Booking edition names them (2.x: _include:iterate=…).
            params = slot_query_for_edition(params, self.target.spec.edition)
        return self.http.send(
            method or interaction.spec.method,  # another verb only for a negative scenario
            self.url_for(relative, overrides.direct),
            headers=headers,
            params=params,
            content=content,
            label=label or interaction.value,
            interaction=interaction.value,
        )
