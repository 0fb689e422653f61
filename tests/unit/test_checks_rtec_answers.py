"""What an RTEC service's answers carry: the 401 challenge (RTEC-RES-05) and the documented bodies (RTEC-RES-06)."""

from __future__ import annotations

import time

import httpx
import pytest

from spine_conformance.checks.rtec_answers import check_answer_bodies, check_token_challenge
from spine_conformance.findings import CheckFailed, NotTestable, evaluation
from spine_conformance.http import Exchange, HttpResponse

URL = "https://rtec.example/rtec-api-gateway/search"
REALM_ONLY = 'Bearer realm="rtec-api-gateway"'
INVALID = 'Bearer error="invalid_token", error_description="the bearer token has expired"'


def answer(status: int, body: bytes = b"", **headers: str) -> HttpResponse:
    exchange = Exchange("exemption search", "POST", URL, [], b"", time.time())
    return HttpResponse(status, httpx.Headers(headers), body, URL, exchange)


def json_answer(status: int, media: str = "application/json") -> HttpResponse:
    return answer(status, b'{"message": "m", "type": null}', **{"content-type": media})


def test_a_bodiless_401_with_a_bearer_challenge_passes() -> None:
    with evaluation() as judged:
        check_token_challenge(answer(401, **{"www-authenticate": INVALID}), token_presented=True)
        check_token_challenge(answer(401, **{"www-authenticate": REALM_ONLY}), token_presented=False)
    assert judged.evaluated == ["RTEC-RES-05"] and judged.advisories == []


def test_no_challenge_or_a_body_fails() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_token_challenge(answer(401, b'{"message": "Unauthorised"}'), token_presented=False)
    challenge, body = raised.value.findings
    assert challenge.actual == "no WWW-Authenticate header" and body.actual.startswith("27 bytes")
    with pytest.raises(CheckFailed):
        check_token_challenge(answer(401, **{"www-authenticate": "Basic realm=x"}), token_presented=True)


def test_the_error_code_follows_rfc_6750_as_advice() -> None:
    with evaluation() as judged:  # a presented token that failed SHOULD get error="invalid_token"
        check_token_challenge(answer(401, **{"www-authenticate": REALM_ONLY}), token_presented=True)
        # no token at all SHOULD NOT get an error code
        check_token_challenge(answer(401, **{"www-authenticate": INVALID}), token_presented=False)
    assert len(judged.advisories) == 2 and {a.requirement for a in judged.advisories} == {"RTEC-RES-05"}


def test_a_status_other_than_401_is_left_to_rtec_res_04() -> None:
    with pytest.raises(NotTestable, match="RTEC-RES-04"):
        check_token_challenge(answer(403), token_presented=True)


def test_documented_bodies() -> None:
    with evaluation() as judged:
        check_answer_bodies([json_answer(200), json_answer(404), json_answer(400), answer(503), answer(501)])
    assert judged.evaluated == ["RTEC-RES-06"]
    with pytest.raises(CheckFailed) as raised:
        check_answer_bodies([json_answer(200, "text/plain"), answer(500, b"<html/>", **{"content-type": "text/html"})])
    assert [f.requirement for f in raised.value.findings] == ["RTEC-RES-06", "RTEC-RES-06"]
    assert raised.value.findings[1].actual.startswith("7 bytes (text/html")
