"""The harness as a conformant RTEC client: JSON POST, flat bearer JWT, Ssp-From with the ASID."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HarnessHttp, HttpResponse
from spine_conformance.ssp import FROM
from spine_conformance.tokens import bearer, mint_rtec_token

JSON = "application/json"
KEEP = object()  # "send the normal Authorization header"


def exempt_request(target: TargetConfig) -> dict[str, str]:
    """The configured test patient, whom the service knows to be exempt."""
    patient = target.patient
    return {
        "dob": patient.birth_date,
        "nhsNumber": patient.nhs_number,
        "postcode": patient.postcode,
        "surname": patient.family,
        "prescriptionId": target.exemption.prescription_id,
    }


def not_exempt_request(target: TargetConfig) -> dict[str, str]:
    exemption = target.exemption
    return {
        "dob": exemption.not_exempt_birth_date,
        "nhsNumber": exemption.not_exempt_nhs_number,
        "postcode": exemption.not_exempt_postcode,
        "surname": exemption.not_exempt_family,
        "prescriptionId": exemption.prescription_id,
    }


class RtecClient:
    def __init__(self, http: HarnessHttp, target: TargetConfig, clock: Callable[[], float] = time.time) -> None:
        self.http = http
        self.target = target
        self.clock = clock

    @property
    def url(self) -> str:
        return self.target.exemption.url

    def token(self) -> str:
        return mint_rtec_token(self.target.consumer, self.url, now=int(self.clock()))

    def send(
        self,
        body: Mapping[str, Any] | bytes,
        *,
        content_type: str = JSON,
        authorization: str | object | None = KEEP,
        label: str = "exemption search",
    ) -> HttpResponse:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type, "Accept": JSON, FROM: self.target.consumer.asid}
        if authorization is KEEP:
            headers["Authorization"] = bearer(self.token())
        elif isinstance(authorization, str):
            headers["Authorization"] = authorization
        return self.http.send(
            "POST", self.url, headers=headers, content=content, label=label, interaction="exemption_search"
        )
