"""The demonstrator's RTEC service (digest B) over real TLS: lookups, request rules, tokens, recording."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from spine_conformance.config.model import ExemptionConfig, HttpConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.demonstrator.provider.http import MAX_BODY_BYTES
from spine_conformance.demonstrator.rtec_app import RTEC_PATH, RtecApp
from spine_conformance.exemption.fields import FIELDS
from spine_conformance.tokens import bearer, mint_rtec_token
from tests.rtec_support import (
    CONSUMER,
    SEEDED,
    RtecCaller,
    assert_bad_request,
    assert_found,
    assert_not_found,
    assert_token_refused,
    check_body,
    expired_token,
    not_exempt,
    parker,
    request_for,
)

Json = dict[str, Any]


@pytest.fixture(scope="module")
def rtec(demo: Demonstrator) -> Iterator[RtecCaller]:
    caller = RtecCaller(demo)
    yield caller
    caller.close()


def test_the_advertised_config_targets_the_service_with_the_other_defaults(demo: Demonstrator) -> None:
    config = demo.config

    assert config.exemption == ExemptionConfig(url=demo.rtec_url)
    assert demo.rtec_url.startswith("https://127.0.0.1:") and demo.rtec_url.endswith(RTEC_PATH)
    assert config.http == HttpConfig()


# -- lookups ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("surname", list(SEEDED))
def test_each_seeded_patient_is_found_with_its_type(rtec: RtecCaller, surname: str) -> None:
    patient, exemption_type = SEEDED[surname]

    assert_found(rtec.post(request_for(patient)), exemption_type)


@pytest.mark.parametrize(
    ("postcode", "surname"),
    [("DN185FB", "DIXON"), ("dn18 5fb", "dixon"), ("DN18 5FB", "Dixon"), ("dn185fb", "DiXoN")],
)
def test_postcode_spacing_and_letter_case_do_not_matter(rtec: RtecCaller, postcode: str, surname: str) -> None:
    patient, exemption_type = SEEDED["DIXON"]

    assert_found(rtec.post(request_for({**patient, "postcode": postcode, "surname": surname})), exemption_type)


def test_the_not_exempt_test_patient_is_not_found(rtec: RtecCaller) -> None:
    assert_not_found(rtec.post(not_exempt()))


@pytest.mark.parametrize(
    ("field", "value"),
    [("dob", "2010-01-02"), ("surname", "Parkes"), ("postcode", "NE3 2JJ"), ("nhsNumber", "9000000009")],
)
def test_an_exempt_patient_with_one_detail_different_is_not_found(rtec: RtecCaller, field: str, value: str) -> None:
    assert_not_found(rtec.post({**parker(), field: value}))


def test_charset_parameters_on_the_content_type_are_accepted(rtec: RtecCaller) -> None:
    assert_found(rtec.post(parker(), content_type="application/json; charset=utf-8"), "9006")


# -- request rules (400, 415, 413) ----------------------------------------------------------------------
@pytest.mark.parametrize("field", FIELDS)
def test_a_missing_field_is_a_400_naming_it(rtec: RtecCaller, field: str) -> None:
    body = {name: value for name, value in parker().items() if name != field}

    assert_bad_request(rtec.post(body), f"Please provide a valid {field}")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dob", "01/01/2010"),
        ("dob", "2010-02-30"),
        ("dob", "2999-01-01"),
        ("dob", 20100101),
        ("nhsNumber", "9434765918"),
        ("nhsNumber", "943476591"),
        ("nhsNumber", None),
        ("postcode", "NOT A POSTCODE"),
        ("postcode", "75001"),
        ("surname", ""),
        ("surname", "Parkér"),
        ("surname", ["Parker"]),
        ("prescriptionId", "471BC8-P83027-34B75A"),
        ("prescriptionId", "471BC8P8302734B75X"),
        ("prescriptionId", {"id": "471BC8-P83027-34B75X"}),
    ],
)
def test_a_malformed_field_is_a_400_naming_it(rtec: RtecCaller, field: str, value: Any) -> None:
    assert_bad_request(rtec.post({**parker(), field: value}), f"Please provide a valid {field}")


def test_several_bad_fields_are_named_in_alphabetical_order(rtec: RtecCaller) -> None:
    body = {**parker(), "postcode": "nowhere", "dob": "yesterday"}

    assert_bad_request(rtec.post(body), "Please provide a valid dob, postcode")


def test_an_unknown_extra_field_is_a_400_naming_it(rtec: RtecCaller) -> None:
    assert_bad_request(rtec.post({**parker(), "gender": "female"}), "Please provide a valid gender")


def test_unknown_and_malformed_fields_are_named_together(rtec: RtecCaller) -> None:
    body = {**parker(), "expiry": None, "nhsNumber": "1234567890"}

    assert_bad_request(rtec.post(body), "Please provide a valid expiry, nhsNumber")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[]", id="json-array"),
        pytest.param(b'"Parker"', id="json-string"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param(b'{"dob": NaN}', id="nan"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-too-deeply"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(rtec: RtecCaller, content: bytes) -> None:
    assert_bad_request(rtec.post(content=content), "Please provide a valid request")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/fhir+json", "application/x-www-form-urlencoded", None]
)
def test_a_content_type_other_than_json_is_a_415(rtec: RtecCaller, content_type: str | None) -> None:
    response = rtec.post(parker(), content_type=content_type)

    assert response.status == 415
    assert check_body(response, "rtec-error.schema.json") == {
        "message": "Content-Type must be application/json",
        "type": None,
    }


def test_a_body_over_one_mebibyte_is_a_413(rtec: RtecCaller) -> None:
    oversized = b'{"surname":"' + b"x" * MAX_BODY_BYTES + b'"}'

    response = rtec.post(content=oversized)

    assert response.status == 413
    assert response.json()["type"] is None


# -- tokens (401) -----------------------------------------------------------------------------------
AUTHORIZATIONS: dict[str, Callable[[RtecCaller], str | None]] = {
    "missing": lambda caller: None,
    "malformed": lambda caller: "Bearer not-a-jwt",
    "wrong-scheme": lambda caller: "Basic dXNlcjpwYXNz",
    "expired": expired_token,
    "wrong-audience": lambda caller: bearer(mint_rtec_token(CONSUMER, "https://rtec.example" + RTEC_PATH)),
}


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("missing", ""),  # no bearer credentials: the bare challenge, no error information (RFC 6750 §3.1)
        ("malformed", "malformed"),
        ("wrong-scheme", ""),
        ("expired", "expired"),
        ("wrong-audience", "claims are not valid"),
    ],
)
def test_a_missing_or_invalid_token_is_a_bodiless_401_with_a_challenge(
    rtec: RtecCaller, case: str, reason: str
) -> None:
    authorization = AUTHORIZATIONS[case](rtec)

    response = rtec.post(parker(), authorization=authorization, send_token=authorization is not None)

    challenge = assert_token_refused(response, presented=bool(reason))
    assert reason in challenge
    if authorization:
        assert authorization.split()[-1] not in challenge  # the token is never echoed


def test_the_token_is_checked_before_the_body(rtec: RtecCaller) -> None:
    assert_token_refused(rtec.post(content=b"{not json", send_token=False), presented=False)


# -- other verbs and paths --------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_verbs_are_a_405(demo: Demonstrator, rtec: RtecCaller, method: str) -> None:
    response = rtec.send(method, demo.rtec_url)

    assert response.status == 405
    assert response.headers["allow"] == "POST"
    assert response.media_type == "application/json"
    assert response.json()["type"] is None and response.json()["message"]


@pytest.mark.parametrize("path", ["/rtec-api-gateway/v1.0.0/search", "/rtec-api-gateway/search/", "/"])
def test_unknown_paths_are_a_404(demo: Demonstrator, rtec: RtecCaller, path: str) -> None:
    response = rtec.send("POST", demo.rtec_url.removesuffix(RTEC_PATH) + path)

    assert response.status == 404
    assert check_body(response, "rtec-error.schema.json")["message"] != "Exemption has not been found"


# -- received requests ------------------------------------------------------------------------------
def test_received_requests_are_recorded_with_ssp_from(demo: Demonstrator, rtec: RtecCaller) -> None:
    marker = str(uuid.uuid4())
    before = time.time()

    response = rtec.post(parker(), headers={"X-Test-Marker": marker})

    assert response.status == 200
    [received] = [r for r in demo.rtec.received if r.header("x-test-marker") == marker]
    assert (received.method, received.path) == ("POST", RTEC_PATH)
    assert received.ssp_from == CONSUMER.asid
    assert received.body == response.exchange.request_body
    assert received.header("authorization") == dict(response.exchange.request_headers)["authorization"]
    assert before <= received.received_at <= time.time()


def test_requests_without_ssp_from_are_served_and_recorded(demo: Demonstrator, rtec: RtecCaller) -> None:
    marker = str(uuid.uuid4())
    response = rtec.http.send(
        "POST",
        demo.rtec_url,
        headers={"Content-Type": "application/json", "Authorization": rtec.token(), "X-Test-Marker": marker},
        content=json.dumps(parker()).encode(),
    )

    assert_found(response, "9006")
    [received] = [r for r in demo.rtec.received if r.header("x-test-marker") == marker]
    assert received.ssp_from is None


def _post_in_process(app: RtecApp, bodies: list[bytes], authorized: bool = True) -> None:
    """In process (no server): only the recording is under test here."""
    app.url = "https://testserver" + RTEC_PATH
    headers = {"Content-Type": "application/json"}
    if authorized:
        headers["Authorization"] = bearer(mint_rtec_token(CONSUMER, app.url))

    async def send() -> None:
        transport = httpx.ASGITransport(app=app.app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            for body in bodies:
                await client.post(RTEC_PATH, content=body, headers=headers)

    asyncio.run(send())


def test_the_record_of_received_requests_is_bounded() -> None:
    app = RtecApp(received_limit=3)
    _post_in_process(app, [f'{{"n":{number}}}'.encode() for number in range(5)])
    assert [r.body for r in app.received] == [b'{"n":2}', b'{"n":3}', b'{"n":4}']


def test_the_record_is_bounded_in_bytes_too() -> None:
    app = RtecApp(received_bytes=2500)
    _post_in_process(app, [b"x" * 1000 for _ in range(5)])
    assert len(app.received) == 2


def test_unauthenticated_bodies_are_not_kept() -> None:
    """Observed: 300 unauthenticated 1 MiB posts added 240 MB to the journal, and it stayed."""
    app = RtecApp()
    _post_in_process(app, [b"y" * 100_000 for _ in range(3)], authorized=False)
    assert [r.body for r in app.received] == [b"", b"", b""]
