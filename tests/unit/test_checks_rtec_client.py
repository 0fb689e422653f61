"""The RTEC client checks that depend on the consumer's state or on its request details (checks.rtec_client)."""

from __future__ import annotations

import json
import time

import pytest

from spine_conformance.checks.rtec_client import (
    check_as_recorded,
    check_checked,
    check_new_tokens,
    check_requesting_organization,
    check_second_prescription,
    check_unavailable_notice,
)
from spine_conformance.findings import CheckFailed, NotTestable, evaluation
from spine_conformance.tokens import bearer, encode_unsigned
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.triggers import ActionResult

RX_1, RX_2 = "471BC8-P83027-34B75X", "A1B2C3-A83027-00001X"


def check(prescription: str, token: str = "t1", at: float = 0.0, **fields: str) -> RecordedRequest:
    body = {"prescriptionId": prescription, "surname": "O'Brien-Smith", "postcode": "LS1 4HR", **fields}
    headers = [("authorization", bearer(token))]
    return RecordedRequest("rtec", "POST", "/rtec-api-gateway/search", "", headers, json.dumps(body).encode(), at)


def said(output: str) -> ActionResult:
    return ActionResult("check_exemption", "command", "consumer", 0, output, 0.3, finished_at=time.time())


def test_a_check_of_the_prescription_is_found_by_its_id() -> None:
    with evaluation() as judged:
        check_checked([check(RX_1)], RX_1, "RTEC-CLI-09", "when dispensed")
    assert judged.evaluated == ["RTEC-CLI-09"]
    with pytest.raises(CheckFailed) as raised:
        check_checked([check(RX_2)], RX_1, "RTEC-CLI-09", "when dispensed")
    assert raised.value.findings[0].actual == f"requests for: {RX_2}"


def test_a_second_prescription_without_its_own_check_fails_unless_the_consumer_asked_for_the_declaration() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_second_prescription([check(RX_1)], said("exemption applied"), RX_2, "(?i)declaration")
    assert raised.value.findings[0].requirement == "RTEC-CLI-10"
    with evaluation() as judged:  # PEC-FR-31 kept; only §7.1's "should make a separate check" is missed
        check_second_prescription([check(RX_1)], said("ask for the paper declaration"), RX_2, "(?i)declaration")
    assert [a.requirement for a in judged.advisories] == ["RTEC-CLI-10"]
    check_second_prescription([check(RX_1), check(RX_2)], said("found"), RX_2, "(?i)declaration")


def test_the_same_token_a_second_apart_was_not_new() -> None:
    token = encode_unsigned({"iat": 1})
    with pytest.raises(CheckFailed) as raised:
        check_new_tokens([check(RX_1, token, at=10.0), check(RX_2, token, at=11.6)])
    assert "the same token on two requests 1.6 s apart" in raised.value.findings[0].actual
    # Within the same second two freshly minted tokens may be identical: nothing can be told.
    check_new_tokens([check(RX_1, token, at=10.0), check(RX_2, token, at=10.4)])
    check_new_tokens([check(RX_1, "a", at=10.0), check(RX_2, "b", at=12.0)])
    with pytest.raises(NotTestable):
        check_new_tokens([check(RX_1)])


def claims_token(organization: str) -> str:
    return encode_unsigned({"requesting_organization": organization})


def test_requesting_organization_is_the_configured_ods_code_never_the_locum_one() -> None:
    check_requesting_organization([check(RX_1, claims_token("A11111"))], "A11111")
    with pytest.raises(CheckFailed) as raised:
        check_requesting_organization([check(RX_1, claims_token("FFFFF"))], "A11111")
    (finding,) = raised.value.findings
    assert finding.requirement == "RTEC-REQ-05" and finding.actual == "FFFFF" and "locum" in finding.detail
    with pytest.raises(CheckFailed):
        check_requesting_organization([check(RX_1, claims_token("B22222"))], "A11111")


def test_demographics_as_recorded_allow_case_and_the_postcodes_space_only() -> None:
    check_as_recorded([check(RX_1, surname="O'BRIEN-SMITH", postcode="ls14hr")], "O'Brien-Smith", "LS1 4HR")
    with pytest.raises(CheckFailed) as raised:
        check_as_recorded([check(RX_1, surname="OBrienSmith")], "O'Brien-Smith", "LS1 4HR")
    assert [f.requirement for f in raised.value.findings] == ["RTEC-REQ-06"]
    with pytest.raises(CheckFailed):
        check_as_recorded([check(RX_1, postcode="LS1")], "O'Brien-Smith", "LS1 4HR")


def test_the_user_must_be_told_the_service_is_unavailable() -> None:
    check_unavailable_notice(said("RTEC unavailable: ask for the declaration"), [check(RX_1)], "(?i)unavailable")
    with pytest.raises(CheckFailed) as raised:
        check_unavailable_notice(said("ask for the declaration"), [check(RX_1)], "(?i)unavailable")
    assert raised.value.findings[0].requirement == "RTEC-CLI-13"
    with pytest.raises(CheckFailed):  # saying it without having asked the service is not the behaviour
        check_unavailable_notice(said("RTEC unavailable"), [], "(?i)unavailable")
