"""The RTEC service's fault modes: each one is a visible deviation at the HTTP level.

Faults share a demonstrator only where none hides or changes what another one's test shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.demonstrator.faults import FAULTS
from spine_conformance.exemption.fields import FIELDS
from spine_conformance.http import HttpResponse
from spine_conformance.paths import validator
from tests.rtec_support import (
    SEEDED,
    RtecCaller,
    assert_bad_request,
    assert_found,
    assert_not_found,
    assert_token_refused,
    expired_token,
    not_exempt,
    parker,
)

Json = dict[str, Any]
# Lookup answers are changed; nothing before the lookup is.
LOOKUP = ("rtec-found-type-null", "rtec-not-found-200", "rtec-extra-field-500")
# Valid requests fail; the 400s and token errors the other fault changes are answered before that.
FAILING_500 = ("rtec-500", "rtec-400-unnamed")
FAILING_503 = ("rtec-503", "rtec-token-error-403")
# Request rules relaxed (or, for field order, tightened) without touching each other's evidence.
REQUEST_RULES = ("rtec-format-unchecked", "rtec-order-sensitive", "rtec-token-unchecked", "rtec-any-content-type")
MISSING = ("rtec-missing-field-accepted",)  # alone: the format fault must still show presence checked
SLOW = ("rtec-slow",)
# What the answers carry: a 401 with a body, JSON declared as text (neither hides the other's evidence).
ANSWER_DETAILS = ("rtec-401-json-body", "rtec-json-as-text")
ERROR_PAGE = ("rtec-500-with-body",)
GROUPS = (LOOKUP, FAILING_500, FAILING_503, REQUEST_RULES, MISSING, SLOW, ANSWER_DETAILS, ERROR_PAGE)


@pytest.fixture(scope="module")
def faulty() -> Iterator[Callable[[tuple[str, ...]], RtecCaller]]:
    """``faulty(GROUP)``: a caller of a demonstrator with that group of faults on (started on first use)."""
    running: dict[tuple[str, ...], RtecCaller] = {}

    def get(faults: tuple[str, ...]) -> RtecCaller:
        if faults not in running:
            running[faults] = RtecCaller(Demonstrator(faults=faults).start())
        return running[faults]

    yield get
    for caller in running.values():
        caller.close()
        caller.demo.stop()


def test_every_rtec_fault_is_exercised_by_this_module() -> None:
    grouped = [name for group in GROUPS for name in group]

    assert len(grouped) == len(set(grouped)), "a fault is in two groups"
    assert set(grouped) == {fault.name for fault in FAULTS.values() if fault.component == "rtec"}


def assert_bodiless(response: HttpResponse, status: int) -> None:
    assert response.status == status, (response.status, response.body)
    assert response.body == b""


# -- answers (RTEC-RES-01, RTEC-RES-02) -------------------------------------------------------------
def test_found_type_null_answers_200_without_the_type(faulty: Callable[..., RtecCaller]) -> None:
    response = faulty(LOOKUP).post(parker())

    assert response.status == 200
    assert response.json() == {"message": "Exemption has been found", "type": None}
    with pytest.raises(jsonschema.ValidationError):
        validator("rtec-found.schema.json").validate(response.json())


def test_not_found_200_answers_200_for_a_patient_without_an_exemption(faulty: Callable[..., RtecCaller]) -> None:
    assert_not_found(faulty(LOOKUP).post(not_exempt()), status=200)


def test_rtec_500_fails_every_valid_request_but_still_refuses_bad_ones(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(FAILING_500)

    assert_bodiless(caller.post(parker()), 500)
    assert_bodiless(caller.post(not_exempt()), 500)
    assert_bad_request(caller.post({**parker(), "dob": "never"}), "Please provide a valid request")
    assert_token_refused(caller.post(parker(), send_token=False), presented=False)


def test_rtec_503_makes_every_valid_request_unavailable(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(FAILING_503)

    assert_bodiless(caller.post(parker()), 503)
    assert_bodiless(caller.post(not_exempt()), 503)


def test_rtec_slow_answers_after_the_advertised_timeout(faulty: Callable[..., RtecCaller]) -> None:
    demo = faulty(SLOW).demo
    assert demo.config.http.timeout_s == 2

    with (
        httpx.Client(verify=demo.certificates.client_context(), timeout=1.0) as client,
        pytest.raises(httpx.TimeoutException),
    ):
        client.post(demo.rtec_url, json=parker(), headers={"Authorization": faulty(SLOW).token()})


def test_order_sensitive_refuses_fields_in_another_order(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(REQUEST_RULES)
    reordered = dict(reversed(list(parker().items())))

    assert_bad_request(caller.post(reordered), "Please provide a valid request")
    assert_found(caller.post(parker()), "9006")


# -- request rules (RTEC-REQ-01, RTEC-REQ-02, RTEC-RES-03) ------------------------------------------
def test_extra_field_500_answers_500_for_an_unknown_field(faulty: Callable[..., RtecCaller]) -> None:
    assert_bodiless(faulty(LOOKUP).post({**parker(), "gender": "female"}), 500)


def test_any_content_type_accepts_json_sent_as_text_plain(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(REQUEST_RULES)

    assert_found(caller.post(parker(), content_type="text/plain"), "9006")
    assert_not_found(caller.post(not_exempt(), content_type="text/plain"))


@pytest.mark.parametrize("field", FIELDS)
def test_missing_field_accepted_looks_up_incomplete_requests(faulty: Callable[..., RtecCaller], field: str) -> None:
    body = {name: value for name, value in parker().items() if name != field}

    response = faulty(MISSING).post(body)

    # The prescription id plays no part in the lookup; without any other detail the patient is unknown.
    if field == "prescriptionId":
        assert_found(response, "9006")
    else:
        assert_not_found(response)


def test_missing_field_accepted_still_checks_formats(faulty: Callable[..., RtecCaller]) -> None:
    assert_bad_request(faulty(MISSING).post({**parker(), "dob": "01/01/2010"}), "Please provide a valid dob")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nhsNumber", "9000000008"),
        ("dob", "15/06/1980"),
        ("postcode", "75001"),
        ("prescriptionId", "471BC8-P83027-34B75A"),
        ("surname", ""),
        ("dob", None),
    ],
)
def test_format_unchecked_looks_up_malformed_fields(faulty: Callable[..., RtecCaller], field: str, value: Any) -> None:
    assert_not_found(faulty(REQUEST_RULES).post({**not_exempt(), field: value}))


def test_format_unchecked_looks_up_a_bad_prescription_check_character(faulty: Callable[..., RtecCaller]) -> None:
    assert_found(faulty(REQUEST_RULES).post({**parker(), "prescriptionId": "471BC8-P83027-34B75A"}), "9006")


def test_format_unchecked_still_checks_presence_and_unknown_fields(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(REQUEST_RULES)
    body = {name: value for name, value in parker().items() if name != "surname"}

    assert_bad_request(caller.post(body), "Please provide a valid surname")
    assert_bad_request(caller.post({**parker(), "gender": "female"}), "Please provide a valid gender")


def test_400_unnamed_does_not_name_the_invalid_fields(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(FAILING_500)
    missing = {name: value for name, value in parker().items() if name != "postcode"}

    assert_bad_request(caller.post(missing), "Please provide a valid request")
    assert_bad_request(caller.post({**parker(), "nhsNumber": "123"}), "Please provide a valid request")
    assert_bad_request(caller.post({**parker(), "gender": "female"}), "Please provide a valid request")


# -- tokens (RTEC-REQ-03, RTEC-RES-04) --------------------------------------------------------------
def test_token_unchecked_serves_requests_without_a_valid_token(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(REQUEST_RULES)
    patient, exemption_type = SEEDED["HUME"]
    body = {**patient, "prescriptionId": parker()["prescriptionId"]}

    assert_found(caller.post(body, send_token=False), exemption_type)
    assert_found(caller.post(body, authorization="Bearer not-a-jwt"), exemption_type)
    assert_found(caller.post(body, authorization=expired_token(caller)), exemption_type)


def test_token_error_403_refuses_bad_tokens_with_403(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(FAILING_503)

    assert_token_refused(caller.post(parker(), send_token=False), status=403, presented=False)
    assert_token_refused(caller.post(parker(), authorization=expired_token(caller)), status=403)
    assert_token_refused(caller.post(parker(), authorization="Bearer not-a-jwt"), status=403)


# -- what the answers carry (RTEC-RES-05, RTEC-RES-06) ------------------------------------------------
def test_401_json_body_answers_a_token_error_with_a_body_and_no_challenge(faulty: Callable[..., RtecCaller]) -> None:
    response = faulty(ANSWER_DETAILS).post(parker(), send_token=False)

    assert response.status == 401
    assert "www-authenticate" not in response.headers
    assert response.json() == {"message": "Unauthorised", "type": None}


def test_json_as_text_declares_every_json_answer_text_plain(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(ANSWER_DETAILS)

    found, not_found, invalid = caller.post(parker()), caller.post(not_exempt()), caller.post({**parker(), "dob": "x"})

    assert [found.status, not_found.status, invalid.status] == [200, 404, 400]
    assert {found.media_type, not_found.media_type, invalid.media_type} == {"text/plain"}
    assert found.json()["type"]  # still JSON, only declared as something else


def test_500_with_body_answers_valid_requests_with_an_error_page(faulty: Callable[..., RtecCaller]) -> None:
    caller = faulty(ERROR_PAGE)

    response = caller.post(parker())

    assert response.status == 500
    assert response.media_type == "text/html" and b"Internal Server Error" in response.body
    assert_bad_request(caller.post({**parker(), "dob": "never"}), "Please provide a valid dob")
