"""How each reference-consumer fault changes a request: URL, Ssp-* headers, tokens, bodies.

Tokens are judged by the harness's own inspectors: the conformant token has no findings, and
each token fault produces findings against exactly the requirement it names.
"""

from __future__ import annotations

from typing import Any

import pytest

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.config.model import ConsumerConfig, PatientConfig
from spine_conformance.consumer import deviations
from spine_conformance.consumer.appointments import booking_body
from spine_conformance.consumer.faults import FAULTS
from spine_conformance.exemption.fields import request_problems
from spine_conformance.interactions import Interaction
from spine_conformance.ssp import FROM, INTERACTION_ID, TO, TRACE_ID, SspIdentity, split_ssp_url
from spine_conformance.tokens import bearer, decode_unverified, encode_unsigned, inspect_appointments_token
from spine_conformance.tokens.inspect import inspect_rtec_token

CONSUMER = ConsumerConfig()
AUDIENCE = "https://provider.example/STU3/1"
RTEC_URL = "https://rtec.example/rtec-api-gateway/search"
NOW = 1_800_000_000
SSP = "https://ssp.example/"
PROVIDER_URL = AUDIENCE + "/Slot"
FIELDS = {
    "dob": "2001-01-02",
    "nhsNumber": "9660981805",
    "postcode": "DN18 5FB",
    "surname": "DIXON",
    "prescriptionId": "471BC8-P83027-34B75X",
}
TOKEN_FAULTS = [name for name, fault in FAULTS.items() if fault.violates.startswith("JWT-")]


def appointments_findings(faults: frozenset[str], interaction: Interaction = Interaction.SEARCH_SLOT) -> set[str]:
    claims = deviations.appointments_token_claims(CONSUMER, AUDIENCE, interaction, faults, NOW)
    token = deviations.encode_appointments_token(claims, faults)
    findings = inspect_appointments_token(bearer(token), audience=AUDIENCE, interaction=interaction, now=NOW)
    return {finding.requirement for finding in findings}


# -- SSP URL and headers ----------------------------------------------------------------------------
def test_the_conformant_url_has_one_slash_between_ssp_and_provider() -> None:
    url = deviations.request_url(SSP, PROVIDER_URL, frozenset())

    assert url == "https://ssp.example/https://provider.example/STU3/1/Slot"
    assert split_ssp_url(url.removeprefix("https://ssp.example")) == PROVIDER_URL


def test_double_slash_url_joins_them_with_two() -> None:
    url = deviations.request_url("https://ssp.example", PROVIDER_URL, frozenset({"double-slash-url"}))

    assert url == "https://ssp.example//https://provider.example/STU3/1/Slot"
    assert split_ssp_url(url.removeprefix("https://ssp.example")) is None


def test_without_an_ssp_the_provider_is_called_directly_even_under_double_slash_url() -> None:
    assert deviations.request_url("", PROVIDER_URL, frozenset({"double-slash-url"})) == PROVIDER_URL


def header_requirements(faults: frozenset[str]) -> set[str]:
    identity = SspIdentity(CONSUMER.asid, "918999198993")
    headers = deviations.ssp_headers(identity.headers(Interaction.SEARCH_SLOT), faults)
    findings = ssp_header_findings(
        headers, interaction=Interaction.SEARCH_SLOT, expected_from=CONSUMER.asid, expected_to="918999198993"
    )
    return {finding.requirement for finding in findings}


@pytest.mark.parametrize("fault", ["no-ssp-from", "wrong-ssp-to", "wrong-interaction-id"])
def test_each_header_fault_breaks_its_header_rule(fault: str) -> None:
    assert header_requirements(frozenset()) == set()
    assert header_requirements(frozenset({fault})) == {FAULTS[fault].violates}


def test_stale_trace_id_sends_one_valid_uuid_every_time() -> None:
    identity = SspIdentity(CONSUMER.asid, "918999198993")
    stale = frozenset({"stale-trace-id"})
    traces = {deviations.ssp_headers(identity.headers(i), stale)[TRACE_ID] for i in Interaction}
    fresh = {deviations.ssp_headers(identity.headers(i), frozenset())[TRACE_ID] for i in Interaction}

    assert traces == {deviations.STALE_TRACE_ID}
    assert len(fresh) == len(Interaction)
    assert header_requirements(stale) == set()  # one request alone looks fine; the repetition is the fault


def test_header_faults_change_nothing_else() -> None:
    headers = SspIdentity(CONSUMER.asid, "918999198993").headers(Interaction.CREATE_APPOINTMENT)
    changed = deviations.ssp_headers(headers, frozenset({"wrong-ssp-to"}))

    assert {k: v for k, v in changed.items() if k != TO} == {k: v for k, v in headers.items() if k != TO}
    assert changed[TO] == "999999999999"
    assert deviations.ssp_headers(headers, frozenset({"wrong-interaction-id"}))[INTERACTION_ID].endswith(
        "read:metadata"
    )
    assert FROM not in deviations.ssp_headers(headers, frozenset({"no-ssp-from"}))


# -- the appointments JWT ---------------------------------------------------------------------------
@pytest.mark.parametrize("interaction", list(Interaction))
def test_the_conformant_token_passes_every_jwt_rule(interaction: Interaction) -> None:
    assert appointments_findings(frozenset(), interaction) == set()


@pytest.mark.parametrize("fault", TOKEN_FAULTS)
def test_each_token_fault_breaks_exactly_its_requirement(fault: str) -> None:
    assert appointments_findings(frozenset({fault})) == {FAULTS[fault].violates}


@pytest.mark.parametrize("interaction", list(Interaction))
def test_wrong_scope_is_always_another_interactions_scope(interaction: Interaction) -> None:
    assert appointments_findings(frozenset({"wrong-scope"}), interaction) == {"JWT-04"}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_signed_token_is_hs256_with_the_key_secret() -> None:
    import jwt

    claims = deviations.appointments_token_claims(CONSUMER, AUDIENCE, Interaction.READ_METADATA, frozenset(), NOW)
    token = deviations.encode_appointments_token(claims, frozenset({"signed-token"}))

    assert decode_unverified(token).header == {"alg": "HS256", "typ": "JWT"}
    # Only the signature is verified here: NOW is a fixed instant, not the current time.
    verified = jwt.decode(
        token,
        "secret",
        algorithms=["HS256"],
        audience=AUDIENCE,
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )
    assert verified == claims


def test_token_claim_faults_change_one_claim() -> None:
    def claims(*faults: str) -> dict[str, Any]:
        return deviations.appointments_token_claims(CONSUMER, AUDIENCE, Interaction.SEARCH_SLOT, frozenset(faults), NOW)

    plain = claims()
    assert claims("long-lived-token")["exp"] == NOW + 600 and plain["exp"] == NOW + 300
    assert claims("wrong-reason")["reason_for_request"] == "secondaryuses"
    assert "identifier" not in claims("bad-device")["requesting_device"]
    organization = claims("org-without-ods")["requesting_organization"]
    assert organization["identifier"][0]["system"] == deviations.LOCAL_ORGANIZATION_SYSTEM
    assert plain["requesting_organization"]["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/ods-organization-code"
    assert claims("practitioner-id-mismatch")["requesting_practitioner"]["id"] != plain["sub"]
    assert plain["requesting_practitioner"]["id"] == plain["sub"]


# -- bodies ------------------------------------------------------------------------------------------
def test_invalid_appointment_changes_only_the_contained_patients_gender() -> None:
    slot = {"id": "slot001", "start": "2026-01-01T09:00:00+00:00", "end": "2026-01-01T09:15:00+00:00"}
    good = booking_body(PatientConfig(), slot, frozenset())
    bad = booking_body(PatientConfig(), slot, frozenset({"invalid-appointment"}))

    patients = [r for r in bad["contained"] if r["resourceType"] == "Patient"]
    assert [p["gender"] for p in patients] == ["not-a-gender"]
    assert [r.get("gender") for r in good["contained"] if r["resourceType"] == "Patient"] == ["female"]


def test_the_conformant_rtec_body_is_exactly_the_five_valid_fields() -> None:
    assert deviations.rtec_body(FIELDS, frozenset()) == FIELDS
    assert request_problems(deviations.rtec_body(FIELDS, frozenset())) == {}


def test_rtec_extra_field_adds_pharmacy_note() -> None:
    body = deviations.rtec_body(FIELDS, frozenset({"rtec-extra-field"}))

    assert request_problems(body).keys() == {"pharmacyNote"}


def test_rtec_spaced_nhs_number_spaces_it_three_three_four() -> None:
    body = deviations.rtec_body(FIELDS, frozenset({"rtec-spaced-nhs-number"}))

    assert body["nhsNumber"] == "966 098 1805"
    assert request_problems(body).keys() == {"nhsNumber"}


# -- the RTEC token and headers ----------------------------------------------------------------------
def rtec_findings(faults: frozenset[str]) -> list[str]:
    token = encode_unsigned(deviations.rtec_token_claims(CONSUMER, RTEC_URL, faults, NOW))
    findings = inspect_rtec_token(bearer(token), endpoint_url=RTEC_URL, now=NOW, asid=CONSUMER.asid)
    return sorted({finding.requirement for finding in findings})


def test_the_rtec_token_is_flat_and_conformant() -> None:
    claims = deviations.rtec_token_claims(CONSUMER, RTEC_URL, frozenset(), NOW)

    assert all(isinstance(value, str | int) for value in claims.values())
    assert rtec_findings(frozenset()) == []


def test_rtec_nested_claims_nests_the_requesting_claims() -> None:
    claims = deviations.rtec_token_claims(CONSUMER, RTEC_URL, frozenset({"rtec-nested-claims"}), NOW)

    assert claims["requesting_device"]["resourceType"] == "Device"
    assert claims["requesting_organization"]["resourceType"] == "Organization"
    assert claims["iss"] == CONSUMER.asid and claims["requested_scope"] == "/rtec-api-gateway/search"
    assert rtec_findings(frozenset({"rtec-nested-claims"})) == ["RTEC-REQ-03"]


def test_rtec_headers_carry_ssp_from_unless_the_fault_drops_it() -> None:
    assert deviations.rtec_headers("Bearer x", CONSUMER.asid, frozenset())[FROM] == CONSUMER.asid
    assert FROM not in deviations.rtec_headers("Bearer x", CONSUMER.asid, frozenset({"rtec-no-ssp-from"}))
