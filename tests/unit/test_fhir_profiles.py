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
from spine_conformance.fhir.profiles import CLAIMED_PROFILE_RULES, profile_type

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


def _official_name(patient: Json) -> Json:
    name: Json = patient["name"][0]
    return name


APPT, SLOT, ORG = examples.booking_appointment, examples.slot, examples.organization
PRAC, ROLE, PAT = examples.practitioner, examples.practitioner_role, examples.patient
DOC, DEV = examples.document_reference, examples.device
E, W = "error", "warning"
GPC_PATIENT = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1"

# (example builder, change, expression, severity, snippet of the diagnostics). Errors are rules a
# published source states; warnings are sanity checks none states (their diagnostics say so).
RULE_CASES: list[tuple[Callable[[], Json], Change, str, str, str]] = [
    # Appointment
    (APPT, lambda r: r.pop("start"), "Appointment.start", E, "start is required"),
    (APPT, lambda r: r.pop("end"), "Appointment.end", E, "end is required"),
    (APPT, lambda r: r.update(status="proposed") or r.pop("end"), "Appointment.end", E,
     "(app-2): either start and end are specified, or neither"),
    (APPT, lambda r: r.update(end=r["start"]), "Appointment.end", W, "a sanity check, not a rule of"),
    (APPT, _drop_patient_participant, "Appointment.participant", E, "no participant identifies the patient"),
    (APPT, _actor_points_at_document, "Appointment.participant", E, "no participant identifies the patient"),
    (APPT, lambda r: r.update(slot=[{"reference": "Schedule/1"}]), "Appointment.slot[0].reference", E,
     "is not a Slot"),
    (APPT, lambda r: r.update(slot=[{"reference": "https://p.example/Schedule/1"}]),
     "Appointment.slot[0].reference", E, "is not a Slot"),
    (APPT, lambda r: r.update(slot=[{"reference": "#123"}]), "Appointment.slot[0].reference", E,
     "is not a contained Slot"),
    # Slot
    (SLOT, lambda r: r.pop("schedule"), "Slot.schedule", E, "schedule"),
    (SLOT, lambda r: r.update(schedule={"display": "Clinic"}), "Slot.schedule.reference", E,
     "schedule.reference is required"),
    (SLOT, lambda r: r.update(end="2025-05-01T08:00:00+00:00"), "Slot.end", W, "a sanity check, not a rule of"),
    (SLOT, lambda r: r["identifier"][0].pop("value"), "Slot.identifier[0].value", W,
     "a sanity check, not a rule of CareConnect-Slot-1"),
    (SLOT, lambda r: r["identifier"][0].pop("system"), "Slot.identifier[0].system", W,
     "a sanity check, not a rule of CareConnect-Slot-1"),
    (SLOT, lambda r: r.pop("identifier"), "Slot.identifier", E, "exactly one identifier is required, got 0"),
    (SLOT, lambda r: r["identifier"].append(dict(r["identifier"][0])), "Slot.identifier", E, "got 2"),
    # Schedule, HealthcareService, Location
    (examples.schedule, lambda r: r.pop("actor"), "Schedule.actor", E, ""),
    (examples.schedule, lambda r: r["actor"].pop(0), "Schedule.actor", E,
     "exactly one HealthcareService actor is required, got 0"),
    (examples.schedule, lambda r: r["actor"].extend([{"reference": "Location/1"}] * 2), "Schedule.actor", E,
     "at most 3 actors, got 4"),
    (examples.healthcare_service, lambda r: r.pop("name"), "HealthcareService.name", W,
     "a sanity check, not a rule of CareConnect-HealthcareService-1"),
    (examples.healthcare_service, lambda r: r.update(providedBy={"display": "Org"}),
     "HealthcareService.providedBy.reference", W, "a sanity check, not a rule of CareConnect-HealthcareService-1"),
    (examples.location, lambda r: r.pop("name"), "Location.name", W,
     "a sanity check, not a rule of CareConnect-Location-1"),
    # Organization: org-1 is the rule; an ODS code and a name are sanity checks
    (ORG, lambda r: [r.pop("identifier"), r.pop("name")], "Organization", E, "org-1"),
    (ORG, lambda r: r["identifier"][0].pop("value"), "Organization.identifier[0].value", E,
     "identifier has no value"),
    (ORG, lambda r: r["identifier"][0].update(system="https://example.org/ods"), "Organization.identifier", W,
     "a sanity check, not a rule of CareConnect-Organization-1"),
    (ORG, lambda r: r.pop("name"), "Organization.name", W, "a sanity check, not a rule of CareConnect-Organization-1"),
    # Practitioner, PractitionerRole
    (PRAC, lambda r: r["identifier"][0].pop("value"), "Practitioner.identifier[0].value", E,
     "identifier has no value"),
    (PRAC, lambda r: r.pop("identifier"), "Practitioner.identifier", W,
     "a sanity check, not a rule of CareConnect-Practitioner-1"),
    (PRAC, lambda r: r.update(name=[{"given": ["Ann"]}]), "Practitioner.name", W,
     "a sanity check, not a rule of CareConnect-Practitioner-1"),
    (ROLE, lambda r: [r.pop(k) for k in ("practitioner", "organization")], "PractitionerRole", W,
     "a sanity check, not a rule of CareConnect-PractitionerRole-1"),
    (ROLE, lambda r: r["identifier"][0].pop("system"), "PractitionerRole.identifier[0].system", E,
     "identifier.system is required"),
    (ROLE, lambda r: r["identifier"][0].pop("value"), "PractitionerRole.identifier[0].value", E,
     "identifier.value is required"),
    # Device: what UEC asks of the JWT's requesting_device (there is no CareConnect Device profile)
    (DEV, lambda r: r.pop("identifier"), "Device.identifier", E, "UEC requesting_device: an identifier is required"),
    (DEV, lambda r: r["identifier"][0].pop("value"), "Device.identifier[0].value", E,
     "UEC requesting_device: identifier.value is required"),
    (DEV, lambda r: r.pop("model"), "Device.model", E, "UEC requesting_device: model is required"),
    (DEV, lambda r: r.pop("version"), "Device.version", E, "UEC requesting_device: version is required"),
    # Patient
    (PAT, lambda r: r["identifier"][0].update(value="9434765918"), "Patient.identifier[0].value", E,
     "not a valid NHS number"),
    (PAT, lambda r: r["identifier"][0].update(value="943 476 5919"), "Patient.identifier[0].value", E,
     "not a valid NHS number"),
    (PAT, lambda r: r["identifier"][0].update(system="urn:other"), "Patient.identifier", E, "nhs-number is required"),
    (PAT, lambda r: r["identifier"][0].pop("extension"), "Patient.identifier[0].extension", E,
     "no verification status extension"),
    (PAT, lambda r: _coding(r).update(code="09"), "Patient.identifier[0].extension[0].valueCodeableConcept", E,
     "with a code 01..08"),
    (PAT, lambda r: _coding(r).update(system="https://example.org/status"),
     "Patient.identifier[0].extension[0].valueCodeableConcept", E, "with a code 01..08"),
    (PAT, lambda r: r.update(name=[{"text": "John Smith"}]), "Patient.name", E,
     "exactly one official name is required"),
    (PAT, lambda r: _official_name(r).update(use="usual"), "Patient.name", E, "exactly one official name is required"),
    (PAT, lambda r: r["name"].append(dict(_official_name(r))), "Patient.name", E, "found 2"),
    (PAT, lambda r: _official_name(r).pop("family"), "Patient.name[0].family", E,
     "the official name has no family name"),
    (PAT, lambda r: r.pop("birthDate"), "Patient.birthDate", W, "a sanity check, not a rule of CareConnect-Patient-1"),
    # DocumentReference
    (DOC, lambda r: r["identifier"][0].update(value="not-a-uuid"), "DocumentReference.identifier[0].value", E,
     "is not a UUID"),
    (DOC, lambda r: r["identifier"][0].update(system="urn:ietf:rfc:3986"), "DocumentReference.identifier", E,
     "rfc4122 is required"),
    (DOC, lambda r: r.update(status="superseded"), "DocumentReference.status", E, "status must be 'current'"),
    (DOC, lambda r: r["type"]["coding"][0].update(system="http://loinc.org"), "DocumentReference.type", W,
     "the sources conflict"),
    (DOC, lambda r: r["content"][0]["attachment"].pop("contentType"),
     "DocumentReference.content[0].attachment.contentType", E, "contentType is required"),
    (DOC, lambda r: r["content"][0]["attachment"].update(contentType="CDA document"),
     "DocumentReference.content[0].attachment.contentType", E, "is not a mime type"),
    (DOC, lambda r: r["content"][0]["attachment"].update(language="fr"),
     "DocumentReference.content[0].attachment.language", W, "is not en"),
    (APPT, lambda r: r.pop("meta"), "Appointment.meta.profile", W, "a sanity check, not a rule of FHIR STU3"),
    # A claimed profile of another resource type
    (SLOT, lambda r: r["meta"].update(profile=[careconnect_profile("Patient")]), "Slot.meta.profile[0]", E,
     "constrains Patient, not Slot"),
    (SLOT, lambda r: r["meta"].update(profile=[GPC_PATIENT]), "Slot.meta.profile[0]", W,
     "read from the profile's name: a sanity check"),
]  # fmt: skip


def _changed(build: Callable[[], Json], change: Change) -> Json:
    resource = build()
    change(resource)
    return resource


@pytest.mark.parametrize(("build", "change", "expression", "severity", "snippet"), RULE_CASES)
def test_profile_rule_reports_at_the_element_with_its_severity(
    build: Callable[[], Json], change: Change, expression: str, severity: str, snippet: str
) -> None:
    resource = _changed(build, change)
    result = validate_resource(resource)
    found = [issue for issue in result.issues if issue.expression == expression and snippet in issue.diagnostics]
    assert found, "\n".join(issue.describe() for issue in result.issues)
    assert found[0].severity == severity
    assert "https://" in found[0].source  # the issue cites its rule
    if severity == W:  # an advisory never makes the resource invalid by itself
        assert result.ok, "\n".join(issue.describe() for issue in result.errors)
    # The profile layer itself names the element (not only the model or the core checks).
    assert expression in {issue.expression for issue in profile_issues(resource, resource["resourceType"])}


def _rules_reporting(resource: Json) -> set[str]:
    rules = (*CLAIMED_PROFILE_RULES, *PROFILE_RULES.get(resource["resourceType"], ()))
    return {rule.name for rule in rules if rule.check(resource, resource["resourceType"])}


def test_every_profile_rule_has_a_case_showing_its_severity() -> None:
    covered = set().union(*(_rules_reporting(_changed(build, change)) for build, change, *_ in RULE_CASES))
    every = {rule.name for rules in PROFILE_RULES.values() for rule in rules}
    every |= {rule.name for rule in CLAIMED_PROFILE_RULES}
    assert every - covered == set()


@pytest.mark.parametrize(
    ("build", "change"),
    [
        # app-3: only proposed or cancelled appointments may leave out start and end (both: app-2)
        (APPT, lambda r: [r.update(status="cancelled"), r.pop("start"), r.pop("end")]),
        (APPT, lambda r: [r.update(status="proposed"), r.pop("start"), r.pop("end")]),
        # FHIR allows absolute and version-specific literal references
        (APPT, lambda r: r.update(slot=[{"reference": "https://p.example/STU3/1/Slot/slot002"}])),
        (APPT, lambda r: r.update(slot=[{"reference": "Slot/slot002/_history/3"}])),
        # the Booking page's OID and CareConnect's SNOMED CT: the sources conflict, either is accepted
        (DOC, lambda r: r["type"]["coding"][0].update(system="http://snomed.info/sct", code="371531000")),
        # the Booking page states en; en-GB names the same language
        (DOC, lambda r: r["content"][0]["attachment"].update(language="en-GB")),
        # org-1 needs a name or an identifier, not both
        (ORG, lambda r: r.pop("identifier")),
    ],
)
def test_what_the_sources_allow_passes(build: Callable[[], Json], change: Change) -> None:
    resource = _changed(build, change)
    result = validate_resource(resource)
    assert result.ok, "\n".join(issue.describe() for issue in result.issues)
    assert all(issue.severity == "warning" for issue in result.issues)


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
    patient = examples.patient()
    del patient["meta"]
    patient["identifier"][0].pop("extension")
    assert [i.expression for i in validate_resource(patient).errors] == ["Patient.identifier[0].extension"]


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
