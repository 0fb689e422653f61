"""The reference consumer in each state, and the deviations its new fault modes make (no I/O but files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spine_conformance.config.model import ConsumerConfig
from spine_conformance.consumer import deviations
from spine_conformance.consumer.exemption import ExemptionCheck
from spine_conformance.consumer.faults import FAULTS
from spine_conformance.consumer.memory import answers_by_patient, reused_token
from spine_conformance.consumer.output import Outcome
from spine_conformance.consumer.policy import CHECKS_ANYWAY, NO_CHECK_IN, CheckedPrescriptions, state_forbids_check
from spine_conformance.tokens import decode_unverified
from spine_conformance.virtual.states import STATES

URL = "https://rtec.example/rtec-api-gateway/search"


def test_every_state_in_which_no_check_may_be_made_is_honoured() -> None:
    must_not_check = {name for name in STATES if name not in ("locum-user", "automatic-checking-on")}
    must_not_check -= {"non-ascii-demographics"}  # refused as malformed data (PEC-FR-8), before any state rule
    assert set(NO_CHECK_IN) == must_not_check
    for state in must_not_check:
        assert state_forbids_check(state, ()) is not None
    assert state_forbids_check("automatic-checking-on", ()) is None
    assert state_forbids_check("", ()) is None


def test_each_checking_fault_ignores_exactly_its_requirements_states() -> None:
    for fault, states in CHECKS_ANYWAY.items():
        assert {STATES[state].requirement for state in states} == {FAULTS[fault].violates}, fault
        for state in states:
            assert state_forbids_check(state, (fault,)) is None
    assert {state for states in CHECKS_ANYWAY.values() for state in states} == set(NO_CHECK_IN)


def test_a_locum_users_token_names_the_organisation_unless_the_fault() -> None:
    consumer = ConsumerConfig(ods_code="B12345")
    assert deviations.rtec_token_claims(consumer, URL, (), 1, "locum-user")["requesting_organization"] == "B12345"
    claims = deviations.rtec_token_claims(consumer, URL, ("rtec-locum-org",), 1, "locum-user")
    assert claims["requesting_organization"] == "FFFFF"
    assert (
        deviations.rtec_token_claims(consumer, URL, ("rtec-locum-org",), 1, "")["requesting_organization"] == "B12345"
    )


def test_the_rtec_token_header_has_typ_jwt_unless_the_fault() -> None:
    claims = deviations.rtec_token_claims(ConsumerConfig(), URL, (), 1)
    assert decode_unverified(deviations.encode_rtec_token(claims, ())).header == {"alg": "none", "typ": "JWT"}
    assert decode_unverified(deviations.encode_rtec_token(claims, ("rtec-no-typ",))).header == {"alg": "none"}


def test_the_surname_is_sent_as_recorded_unless_the_fault() -> None:
    fields = {"surname": "O'Brien-Smith"}
    assert deviations.rtec_body(fields, ())["surname"] == "O'Brien-Smith"
    assert deviations.rtec_body(fields, ("rtec-surname-letters-only",))["surname"] == "OBrienSmith"


def test_media_type_faults_change_only_their_header() -> None:
    headers = {"Accept": "application/fhir+json", "Content-Type": "application/fhir+json;charset=utf-8", "X": "1"}
    assert deviations.media_type_headers(headers, ()) == headers
    plain = deviations.media_type_headers(headers, ("content-type-plain-json",))
    assert plain == {**headers, "Content-Type": "application/json"}
    assert deviations.media_type_headers({"Accept": "a"}, ("content-type-plain-json",)) == {"Accept": "a"}
    assert deviations.media_type_headers(headers, ("accept-any",)) == {**headers, "Accept": "*/*"}


def test_a_reused_token_is_sent_again_until_it_expires(tmp_path: Path) -> None:
    first = deviations.encode_rtec_token(deviations.rtec_token_claims(ConsumerConfig(), URL, (), 1000), ())
    second = deviations.encode_rtec_token(deviations.rtec_token_claims(ConsumerConfig(), URL, (), 1100), ())
    assert reused_token(tmp_path, first, 1000) == first
    assert reused_token(tmp_path, second, 1100) == first  # exp = 1300: still valid
    assert reused_token(tmp_path, second, 1400) == second  # expired: a new one, kept from now on


@pytest.mark.parametrize("faults", [(), ("reuses-answer-for-patient",)])
def test_a_patients_first_answer_is_applied_to_the_next_prescription_only_under_the_fault(
    tmp_path: Path, faults: tuple[str, ...]
) -> None:
    memory = answers_by_patient(CheckedPrescriptions(tmp_path))
    first = ExemptionCheck("1980-01-01", "9434765919", "Parker", "NE3 2JH", "RX-1")
    found = Outcome("check-exemption", True, "found", 200, {"checked": True, "exempt": True, "type": "0001"})
    memory.keep(first, found, faults)
    reused = memory.reuse(ExemptionCheck("1980-01-01", "9434765919", "Parker", "NE3 2JH", "RX-2"), faults)
    if not faults:
        assert reused is None and not (tmp_path / "answers-by-patient.json").exists()
        return
    assert reused is not None and reused.fields["type"] == "0001" and reused.fields["reused_from"] == "RX-1"
    assert reused.status == 200
