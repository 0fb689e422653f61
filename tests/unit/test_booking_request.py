"""The Book request the harness sends: a valid CareConnect Appointment for the configured patient and slot."""

from __future__ import annotations

from typing import Any

import pytest

from spine_conformance.appointments.booking import DOCUMENT_REF, PATIENT_REF, booking_request, contained_patient
from spine_conformance.config.model import PatientConfig, TargetConfig
from spine_conformance.fhir import booking_problems, examples, patient_nhs_number, slot_reference_id, validate_resource

Json = dict[str, Any]
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
OTHER_PATIENT = PatientConfig(
    nhs_number="9000000009", family="Smith", given=("Ann", "Marie"), birth_date="1950-12-31", postcode="LS1 4AP",
    gender="male",
)  # fmt: skip


def contained(body: Json, resource_type: str) -> Json:
    found: list[Json] = [r for r in body["contained"] if r["resourceType"] == resource_type]
    assert len(found) == 1
    return found[0]


@pytest.fixture(params=[TargetConfig().patient, OTHER_PATIENT], ids=["default", "other"])
def patient(request: pytest.FixtureRequest) -> PatientConfig:
    return request.param  # type: ignore[no-any-return]


def test_booking_request_is_valid(patient: PatientConfig) -> None:
    body = booking_request(patient, examples.slot(), "harness booking")
    result = validate_resource(body, expected_type="Appointment")
    assert result.ok, [issue.describe() for issue in result.errors]


def test_booking_request_meets_the_booking_rules(patient: PatientConfig) -> None:
    body = booking_request(patient, examples.slot(), "harness booking")
    assert [issue.describe() for issue in booking_problems(body)] == []


def test_booking_request_books_the_slot() -> None:
    slot = examples.slot(7)
    body = booking_request(PatientConfig(), slot, "harness booking")
    assert body["slot"] == [{"reference": "Slot/slot007"}]
    assert slot_reference_id(body) == "slot007"
    assert (body["start"], body["end"]) == (slot["start"], slot["end"])
    assert body["status"] == "booked"
    assert body["description"] == "harness booking"
    assert "id" not in body


def test_contained_patient_carries_the_configured_details(patient: PatientConfig) -> None:
    body = booking_request(patient, examples.slot(), "harness booking")
    resource = contained(body, "Patient")
    assert resource["id"] == PATIENT_REF
    assert [(i["system"], i["value"]) for i in resource["identifier"]] == [(NHS_NUMBER_SYSTEM, patient.nhs_number)]
    [name] = resource["name"]
    assert (name["family"], name["given"]) == (patient.family, list(patient.given))
    assert resource["birthDate"] == patient.birth_date
    assert [address["postalCode"] for address in resource["address"]] == [patient.postcode]
    assert resource["gender"] == patient.gender
    assert resource == contained_patient(patient)


def test_participant_names_the_patient(patient: PatientConfig) -> None:
    body = booking_request(patient, examples.slot(), "harness booking")
    [participant] = body["participant"]
    assert participant["actor"]["reference"] == f"#{PATIENT_REF}"
    assert participant["actor"]["identifier"]["value"] == patient.nhs_number
    assert patient_nhs_number(body) == patient.nhs_number


def test_supporting_document_is_contained_and_unique_per_request() -> None:
    first = booking_request(PatientConfig(), examples.slot(), "one")
    second = booking_request(PatientConfig(), examples.slot(), "two")
    assert first["supportingInformation"] == [{"reference": f"#{DOCUMENT_REF}"}]
    assert contained(first, "DocumentReference")["id"] == DOCUMENT_REF
    identifiers = {contained(b, "DocumentReference")["identifier"][0]["value"] for b in (first, second)}
    assert len(identifiers) == 2
