"""CareConnect profile rules: each rule has a failing example with its expected expression."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from spine_conformance.fhir import (
    PROFILE_RULES,
    SPINE_OUTCOME_PROFILE,
    careconnect_profile,
    examples,
    profile_issues,
    validate_resource,
)
from spine_conformance.fhir.profiles import profile_type

Json = dict[str, Any]
Change = Callable[[Json], Any]


def _drop_patient_participant(appointment: Json) -> None:
    appointment["participant"] = [{"actor": {"reference": "Practitioner/ABCD123456"}, "status": "accepted"}]


def _actor_points_at_document(appointment: Json) -> None:
    appointment["participant"][0]["actor"] = {"reference": "#123"}  # resolves, but not to a Patient


def _extension(patient: Json) -> Json:
    extension: Json = patient["identifier"][0]["extension"][0]
    return extension


def _coding(patient: Json) -> Json:
    coding: Json = _extension(patient)["valueCodeableConcept"]["coding"][0]
    return coding


APPT, SLOT, ORG = examples.booking_appointment, examples.slot, examples.organization
PRAC, ROLE, PAT = examples.practitioner, examples.practitioner_role, examples.patient
DOC, DEV = examples.document_reference, examples.device

# (example builder, change, expression, snippet of the diagnostics)
ERROR_CASES: list[tuple[Callable[[], Json], Change, str, str]] = [
    # Appointment
    (APPT, lambda r: r.pop("start"), "Appointment.start", "start is required"),
    (APPT, lambda r: r.pop("end"), "Appointment.end", "end is required"),
    (APPT, _drop_patient_participant, "Appointment.participant",
     "no participant identifies the patient"),
    (APPT, _actor_points_at_document, "Appointment.participant",
     "no participant identifies the patient"),
    (APPT, lambda r: r.update(slot=[{"reference": "https://p.example/Slot/1"}]),
     "Appointment.slot[0].reference", "is not 'Slot/<id>' or '#<id>'"),
    (APPT, lambda r: r.update(slot=[{"reference": "Schedule/1"}]),
     "Appointment.slot[0].reference", "is not 'Slot/<id>' or '#<id>'"),
    (APPT, lambda r: r.update(slot=[{"reference": "#123"}]),
     "Appointment.slot[0].reference", "is not a contained Slot"),
    # Slot
    (SLOT, lambda r: r.update(schedule={"display": "Clinic"}), "Slot.schedule",
     "schedule.reference is required"),
    (SLOT, lambda r: r["identifier"][0].pop("value"), "Slot.identifier[0].value",
     "identifier.value is required"),
    (SLOT, lambda r: r["identifier"][0].pop("system"), "Slot.identifier[0].system",
     "identifier.system is required"),
    # Schedule, HealthcareService, Location
    (examples.schedule, lambda r: r.pop("actor"), "Schedule.actor", ""),
    (examples.healthcare_service, lambda r: r.pop("name"), "HealthcareService.name", "name is required"),
    (examples.healthcare_service, lambda r: r.update(providedBy={"display": "Org"}),
     "HealthcareService.providedBy.reference", "providedBy must be a literal reference"),
    (examples.location, lambda r: r.pop("name"), "Location.name", "name is required"),
    # Organization
    (ORG, lambda r: r["identifier"][0].update(system="https://example.org/ods"),
     "Organization.identifier", "ods-organization-code is required"),
    (ORG, lambda r: r["identifier"][0].pop("value"), "Organization.identifier[0].value",
     "identifier has no value"),
    (ORG, lambda r: r.pop("name"), "Organization.name", "name is required"),
    # Practitioner, PractitionerRole
    (PRAC, lambda r: r.pop("identifier"), "Practitioner.identifier", "sds-user-id is required"),
    (PRAC, lambda r: r.update(name=[{"given": ["Ann"]}]), "Practitioner.name",
     "a name with family is required"),
    (ROLE, lambda r: [r.pop(k) for k in ("practitioner", "organization")], "PractitionerRole",
     "one of code, practitioner or organization is required"),
    (ROLE, lambda r: r["identifier"][0].pop("system"), "PractitionerRole.identifier[0].system",
     "identifier.system is required"),
    # Patient
    (PAT, lambda r: r["identifier"][0].update(value="9434765918"), "Patient.identifier[0].value",
     "not a valid NHS number"),
    (PAT, lambda r: r["identifier"][0].update(value="943 476 5919"), "Patient.identifier[0].value",
     "not a valid NHS number"),
    (PAT, lambda r: r["identifier"][0].update(system="urn:other"), "Patient.identifier",
     "nhs-number is required"),
    (PAT, lambda r: _coding(r).update(code="09"),
     "Patient.identifier[0].extension[0].valueCodeableConcept", "with a code 01..08"),
    (PAT, lambda r: _coding(r).update(system="https://example.org/status"),
     "Patient.identifier[0].extension[0].valueCodeableConcept", "with a code 01..08"),
    (PAT, lambda r: r.update(name=[{"text": "John Smith"}]), "Patient.name",
     "a name with family is required"),
    # DocumentReference
    (DOC, lambda r: r["identifier"][0].update(value="not-a-uuid"),
     "DocumentReference.identifier[0].value", "is not a UUID"),
    (DOC, lambda r: r["identifier"][0].update(system="urn:ietf:rfc:3986"),
     "DocumentReference.identifier", "rfc4122 is required"),
    (DOC, lambda r: r.update(status="superseded"), "DocumentReference.status",
     "status must be 'current'"),
    (DOC, lambda r: r["type"]["coding"][0].update(system="http://loinc.org"),
     "DocumentReference.type", "type must be coded from urn:oid:2.16.840.1.113883.2.1.3.2.4.18.17"),
    (DOC, lambda r: r["content"][0]["attachment"].pop("contentType"),
     "DocumentReference.content[0].attachment.contentType", "contentType is required"),
    (DOC, lambda r: r["content"][0]["attachment"].update(language="fr"),
     "DocumentReference.content[0].attachment.language", "is not en or en-GB"),
    # Device
    (DEV, lambda r: r.pop("identifier"), "Device.identifier", "an identifier is required"),
    (DEV, lambda r: r["identifier"][0].pop("value"), "Device.identifier[0].value",
     "identifier.value is required"),
    (DEV, lambda r: r.pop("model"), "Device.model", "model is required"),
    (DEV, lambda r: r.pop("version"), "Device.version", "version is required"),
    # A claimed profile of another resource type
    (SLOT, lambda r: r["meta"].update(profile=[careconnect_profile("Patient")]), "Slot.meta.profile[0]",
     "constrains Patient, not Slot"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "change", "expression", "snippet"), ERROR_CASES)
def test_profile_rule_reports_an_error_at_the_element(
    build: Callable[[], Json], change: Change, expression: str, snippet: str
) -> None:
    resource = build()
    change(resource)
    result = validate_resource(resource)
    found = [issue for issue in result.errors if issue.expression == expression]
    assert found, "\n".join(issue.describe() for issue in result.issues)
    assert snippet in found[0].diagnostics
    # The profile layer itself names the element (not only the model or the core checks).
    assert expression in {issue.expression for issue in profile_issues(resource, resource["resourceType"])}


def test_every_registered_type_has_an_example_that_passes() -> None:
    builders = {
        "Appointment": examples.booking_appointment,
        "Slot": examples.slot,
        "Schedule": examples.schedule,
        "HealthcareService": examples.healthcare_service,
        "Location": examples.location,
        "Organization": examples.organization,
        "Practitioner": examples.practitioner,
        "PractitionerRole": examples.practitioner_role,
        "Patient": examples.patient,
        "DocumentReference": examples.document_reference,
        "Device": examples.device,
    }
    assert set(PROFILE_RULES) == set(builders)
    for resource_type, build in builders.items():
        assert validate_resource(build(), expected_type=resource_type).issues == ()


def test_rules_apply_without_a_claimed_profile() -> None:
    organization = examples.organization()
    del organization["meta"]
    organization.pop("name")
    assert [i.expression for i in validate_resource(organization).errors] == ["Organization.name"]


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        (lambda r: r["identifier"][0].pop("extension"), "Patient.identifier[0].extension"),
        (lambda r: r.pop("birthDate"), "Patient.birthDate"),
    ],
)
def test_patient_should_rules_are_warnings(change: Change, expression: str) -> None:
    patient = examples.patient()
    change(patient)
    result = validate_resource(patient)
    assert result.ok
    assert [(i.severity, i.expression) for i in result.issues] == [("warning", expression)]


@pytest.mark.parametrize(
    ("build", "change", "expression"),
    [
        (APPT, lambda r: r.update(end=r["start"]), "Appointment.end"),
        (SLOT, lambda r: r.update(end="2025-05-01T08:00:00+00:00"), "Slot.end"),
    ],
)
def test_an_end_not_after_its_start_is_only_a_warning(
    build: Callable[[], Json], change: Change, expression: str
) -> None:
    """Observed: 'end must be after start' failed VAL-01, a rule no published profile contains."""
    resource = build()
    change(resource)
    result = validate_resource(resource)
    assert result.ok, "\n".join(issue.describe() for issue in result.issues)
    assert [(i.severity, i.expression) for i in result.issues] == [("warning", expression)]
    assert "not a rule of" in result.issues[0].diagnostics


def test_patient_participant_via_contained_patient_or_reference() -> None:
    via_contained = examples.booking_appointment()
    del via_contained["participant"][0]["actor"]["identifier"]
    assert validate_resource(via_contained).ok
    via_reference = examples.booking_appointment()
    via_reference["participant"][0]["actor"] = {"reference": "https://p.example/STU3/1/Patient/9"}
    via_reference["contained"].pop(1)
    assert validate_resource(via_reference).ok
    via_identifier = examples.booking_appointment()
    via_identifier["participant"][0]["actor"].pop("reference")
    via_identifier["contained"].pop(1)
    assert validate_resource(via_identifier).ok


def test_contained_slot_reference_is_accepted() -> None:
    appointment = examples.booking_appointment()
    contained_slot = examples.slot(2)
    contained_slot["id"] = "slot002"
    appointment["contained"].append(contained_slot)
    appointment["slot"] = [{"reference": "#slot002"}]
    assert validate_resource(appointment).issues == ()


def test_nested_profile_errors_carry_the_nested_path() -> None:
    appointment = examples.booking_appointment()
    appointment["contained"][1]["identifier"][0]["value"] = "1231231234"  # DEMO's sample: bad check digit
    bundle = examples.searchset([examples.location(), appointment])
    expressions = [i.expression for i in validate_resource(bundle).errors]
    assert expressions == ["Bundle.entry[1].resource.contained[1].identifier[0].value"]


def test_missing_required_element_is_reported_once() -> None:
    slot = examples.slot()
    del slot["start"]
    result = validate_resource(slot)
    assert [(i.code, i.expression) for i in result.errors] == [("required", "Slot.start")]


def test_profile_type_of_known_urls() -> None:
    assert profile_type(careconnect_profile("Slot")) == "Slot"
    assert profile_type(careconnect_profile("GPC-Patient")) == "Patient"
    assert profile_type(SPINE_OUTCOME_PROFILE) == "OperationOutcome"
    assert profile_type("https://example.org/StructureDefinition/Local") is None


def test_unknown_profiles_are_not_errors() -> None:
    location = copy.deepcopy(examples.location())
    location["meta"]["profile"].append("https://example.org/StructureDefinition/Local-Location")
    assert validate_resource(location).issues == ()
