"""Calling the demonstrator's RTEC service over real TLS, and checking its answers (shared by tests)."""

from __future__ import annotations

import json
import time
from typing import Any

from spine_conformance.config.model import ConsumerConfig, ExemptionConfig, TargetConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.paths import validator
from spine_conformance.tokens import bearer, mint_rtec_token

Json = dict[str, Any]
CONSUMER: ConsumerConfig = TargetConfig().consumer
PRESCRIPTION_ID = ExemptionConfig().prescription_id
JSON = "application/json"

# The seeded exemptions as requests, in the documented field order, with the type each answers.
SEEDED: dict[str, tuple[Json, str]] = {
    "DIXON": (
        {"dob": "2001-01-02", "nhsNumber": "9660981805", "postcode": "DN18 5FB", "surname": "DIXON"},
        "0005",
    ),
    "HUME": ({"dob": "2002-01-01", "nhsNumber": "9660982801", "postcode": "DN17 1JN", "surname": "HUME"}, "0007"),
    "PARKS": (
        {"dob": "2001-01-07", "nhsNumber": "9660982852", "postcode": "DN18 5QG", "surname": "PARKS"},
        "0009",
    ),
    "Parker": ({"dob": "2010-01-01", "nhsNumber": "9434765919", "postcode": "NE3 2JH", "surname": "Parker"}, "9006"),
}


def request_for(patient: Json) -> Json:
    return {**patient, "prescriptionId": PRESCRIPTION_ID}


def parker() -> Json:
    """A valid request for an exempt patient (the seed's example, answered type 9006)."""
    return request_for(SEEDED["Parker"][0])


def not_exempt() -> Json:
    """A valid request for the configured test patient the service knows has no exemption."""
    config = ExemptionConfig()
    return request_for(
        {
            "dob": config.not_exempt_birth_date,
            "nhsNumber": config.not_exempt_nhs_number,
            "postcode": config.not_exempt_postcode,
            "surname": config.not_exempt_family,
        }
    )


class RtecCaller:
    """POSTs to one demonstrator's RTEC service as a conformant consumer would, unless told otherwise."""

    def __init__(self, demo: Demonstrator) -> None:
        self.demo = demo
        self.http = HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())

    def close(self) -> None:
        self.http.close()

    def token(self, now: int | None = None) -> str:
        return bearer(mint_rtec_token(CONSUMER, self.demo.rtec_url, now))

    def post(
        self,
        body: Any = None,
        *,
        content: bytes | None = None,
        content_type: str | None = JSON,
        authorization: str | None = None,
        send_token: bool = True,
        headers: dict[str, str] | None = None,
    ) -> HttpResponse:
        """``body`` as JSON (or raw ``content``), with a fresh token unless ``authorization``/``send_token``."""
        sent = {"Ssp-From": CONSUMER.asid, **(headers or {})}
        if content_type is not None:
            sent["Content-Type"] = content_type
        if authorization is not None:
            sent["Authorization"] = authorization
        elif send_token:
            sent["Authorization"] = self.token()
        raw = content if content is not None else json.dumps(body).encode()
        return self.http.send("POST", self.demo.rtec_url, headers=sent, content=raw)

    def send(self, method: str, url: str) -> HttpResponse:
        return self.http.send(method, url, headers={"Authorization": self.token(), "Ssp-From": CONSUMER.asid})


def expired_token(caller: RtecCaller) -> str:
    return caller.token(now=int(time.time()) - 3600)


def check_body(response: HttpResponse, schema: str) -> Json:
    """The response's JSON body, after checking it is application/json and valid against ``schema``."""
    assert response.media_type == JSON, response.headers
    body: Json = response.json()
    validator(schema).validate(body)
    return body


def assert_found(response: HttpResponse, exemption_type: str) -> None:
    assert response.status == 200, (response.status, response.body)
    assert check_body(response, "rtec-found.schema.json") == {
        "message": "Exemption has been found",
        "type": exemption_type,
    }


def assert_not_found(response: HttpResponse, status: int = 404) -> None:
    assert response.status == status, (response.status, response.body)
    assert check_body(response, "rtec-error.schema.json") == {"message": "Exemption has not been found", "type": None}


def assert_bad_request(response: HttpResponse, message: str) -> None:
    assert response.status == 400, (response.status, response.body)
    assert check_body(response, "rtec-error.schema.json") == {"message": message, "type": None}


def assert_token_refused(response: HttpResponse, status: int = 401, *, presented: bool = True) -> str:
    """A bodiless refusal with an RFC 6750 challenge (invalid_token for a presented bearer token, a bare
    one otherwise: RFC 6750 §3.1); returns the challenge."""
    assert response.status == status, (response.status, response.body)
    assert response.body == b""
    challenge = str(response.headers.get("www-authenticate", ""))
    if presented:
        assert challenge.startswith('Bearer realm="rtec-api-gateway", error="invalid_token", error_description="')
    else:
        assert challenge == 'Bearer realm="rtec-api-gateway"', challenge
    return challenge
