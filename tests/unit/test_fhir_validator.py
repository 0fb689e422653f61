"""The built-in STU3 validator: JSON, model, value sets, cardinality, references and CareConnect rules."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from spine_conformance.fhir import Issue, ValidationResult, examples, preload_models, validate_resource

Json = dict[str, Any]
booking_appointment = examples.booking_appointment
slot = examples.slot
SCHEDULE, SERVICE, LOCATION = examples.schedule(), examples.healthcare_service(), examples.location()
ORGANIZATION, PRACTITIONER = examples.organization(), examples.practitioner()
ROLE, DEVICE = examples.practitioner_role(), examples.device()
PATIENT, DOCREF = examples.patient(), examples.document_reference()
CAPABILITY = examples.capability_statement()
OUTCOME: Json = {
    "resourceType": "OperationOutcome",
    "id": "o1",
    "issue": [{"severity": "error", "code": "value"}],
}
MINIMAL = [SCHEDULE, SERVICE, LOCATION, ORGANIZATION, PRACTITIONER, ROLE, DEVICE, CAPABILITY, OUTCOME]


def forty_entry_bundle() -> Json:
    return examples.slot_search_bundle(34)


def changed(resource: Json, change: Callable[[Json], Any]) -> Json:
    copied = copy.deepcopy(resource)
    change(copied)
    return copied


def errors_at(result: ValidationResult, expression: str) -> list[Issue]:
    return [issue for issue in result.errors if issue.expression == expression]


def describe(result: ValidationResult) -> str:
    return "\n".join(issue.describe() for issue in result.issues)


# --- valid resources -------------------------------------------------------------------------------


def test_complete_booking_appointment_is_valid_without_any_issue() -> None:
    result = validate_resource(booking_appointment(), expected_type="Appointment")
    assert result.ok, describe(result)
    assert result.issues == ()
    assert result.resource_type == "Appointment"


@pytest.mark.parametrize("resource", [*MINIMAL, PATIENT, DOCREF, slot(0)])
def test_minimal_valid_resources_pass(resource: Json) -> None:
    result = validate_resource(resource)
    assert result.ok, describe(result)


def test_bytes_and_str_bodies_are_parsed() -> None:
    text = json.dumps(booking_appointment())
    assert validate_resource(text).ok
    assert validate_resource(text.encode("utf-8")).ok
    assert validate_resource(b"\xef\xbb\xbf" + text.encode("utf-8")).ok  # a UTF-8 BOM is tolerated


def test_forty_entry_searchset_is_valid() -> None:
    # Its speed is measured in benchmarks/validator_speed.py, never asserted here.
    bundle = forty_entry_bundle()
    assert len(bundle["entry"]) == 40
    preload_models()
    result = validate_resource(bundle, expected_type="Bundle")
    assert result.ok, describe(result)
    assert result.issues == ()


# --- JSON level and resource type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "snippet"),
    [
        (b'{"resourceType": "Appointment",', "not valid JSON"),
        (b"\xff\xfe not utf-8", "not valid JSON"),
        ("[1, 2]", "must be a JSON object, got an array"),
        ('"Appointment"', "must be a JSON object, got a string"),
        ({"status": "booked"}, "resourceType is missing"),
        ({"resourceType": 7}, "resourceType must be a non-empty string"),
    ],
)
def test_unusable_bodies_are_fatal(body: Any, snippet: str) -> None:
    result = validate_resource(body)
    assert not result.ok
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert issue.severity == "fatal"
    assert snippet in issue.diagnostics


def test_expected_type_mismatch_is_an_error() -> None:
    result = validate_resource(PATIENT, expected_type="Appointment")
    assert not result.ok
    assert result.resource_type == "Patient"
    assert any("expected a Appointment resource, got Patient" in i.diagnostics for i in result.errors)


def test_unknown_resource_type_is_an_error() -> None:
    result = validate_resource({"resourceType": "Wibble"})
    assert [(i.severity, i.expression) for i in result.issues] == [("error", "Wibble")]
    assert "not a FHIR STU3 resource type" in result.issues[0].diagnostics
    # Datatypes and abstract types are not resources either.
    assert not validate_resource({"resourceType": "Reference"}).ok
    assert not validate_resource({"resourceType": "DomainResource"}).ok


# --- pydantic model errors -------------------------------------------------------------------------


def _set_participant_status(r: Json) -> None:
    r["participant"][0]["status"] = 3


@pytest.mark.parametrize(
    ("change", "expression", "code", "snippet"),
    [
        (_set_participant_status, "Appointment.participant[0].status", "structure",
         "must be a JSON string, got 3"),
        (lambda r: r["participant"][0].update(foo=1), "Appointment.participant[0].foo", "structure",
         "'foo' is not a known element"),
        (lambda r: r.update(start="tomorrow"), "Appointment.start", "value", "not a valid FHIR instant"),
        (lambda r: r.update(end="2025-05-01T09:15"), "Appointment.end", "value", "not a valid FHIR instant"),
        (lambda r: r.pop("status"), "Appointment.status", "required", "required element 'status' is missing"),
        (lambda r: r.update(id="a b"), "Appointment.id", "value", "'a b' is not a valid value for 'id'"),
        (lambda r: r["participant"][0].update(actor="Patient/1"), "Appointment.participant[0].actor",
         "structure", "must be a JSON object"),
        (lambda r: r.update(slot="Slot/1"), "Appointment.slot", "structure", "must be a JSON array"),
        (lambda r: r.update(priority=-1), "Appointment.priority", "value", "must be >= 0"),
        (lambda r: r["contained"][1].update(birthDate="1999-99-99"), "Appointment.contained[1].birthDate",
         "value", "not a valid FHIR date"),
        (lambda r: r.update(text={"status": "generated"}), "Appointment.text.div", "required",
         "'div' is missing"),
        (lambda r: r["participant"][0].update(extension=[{"url": "x", "valueString": "a", "valueCode": "b"}]),
         "Appointment.participant[0].extension[0]", "invalid", "only one value[x] element may be present"),
        (lambda r: r.update(slot=[None]), "Appointment.slot", "structure", "must not contain null entries"),
        (lambda r: r["contained"][1]["identifier"][0].update(value=""),
         "Appointment.contained[1].identifier[0].value", "value", "must not be empty"),
    ],
)  # fmt: skip
def test_model_errors_become_readable_issues(
    change: Callable[[Json], Any], expression: str, code: str, snippet: str
) -> None:
    result = validate_resource(changed(booking_appointment(), change))
    found = errors_at(result, expression)
    assert found, describe(result)
    assert found[0].code == code
    assert snippet in found[0].diagnostics
    for issue in result.issues:  # no raw pydantic dump
        assert "pydantic" not in issue.diagnostics
        assert "Value error," not in issue.diagnostics
        assert "input_value" not in issue.diagnostics


def test_nested_resources_with_bad_shape_are_reported_where_they_are() -> None:
    appointment = booking_appointment()
    appointment["contained"] += [5, {"id": "x"}, {"resourceType": "Nope", "id": "n"}]
    result = validate_resource(appointment)
    assert errors_at(result, "Appointment.contained[2]")[0].code == "structure"
    missing_type = errors_at(result, "Appointment.contained[3].resourceType")
    assert "resourceType is missing" in missing_type[0].diagnostics
    assert any("not a FHIR STU3 resource type" in i.diagnostics for i in errors_at(result, "Appointment.contained[4]"))


# --- core value sets and cardinality ---------------------------------------------------------------

VALUE_SET_CASES = [
    (booking_appointment(), lambda r: r.update(status="confirmed"), "Appointment.status"),
    (booking_appointment(), lambda r: r["participant"][0].update(status="yes"),
     "Appointment.participant[0].status"),
    (booking_appointment(), lambda r: r["participant"][0].update(required="must"),
     "Appointment.participant[0].required"),
    (slot(0), lambda r: r.update(status="open"), "Slot.status"),
    (forty_entry_bundle(), lambda r: r.update(type="list"), "Bundle.type"),
    (forty_entry_bundle(), lambda r: r["entry"][2]["search"].update(mode="matched"),
     "Bundle.entry[2].search.mode"),
    (PATIENT, lambda r: r.update(gender="M"), "Patient.gender"),
    (PRACTITIONER, lambda r: r.update(gender="F"), "Practitioner.gender"),
    (DOCREF, lambda r: r.update(status="final"), "DocumentReference.status"),
    (OUTCOME, lambda r: r["issue"][0].update(severity="critical"), "OperationOutcome.issue[0].severity"),
    (OUTCOME, lambda r: r["issue"][0].update(code="bad-request"), "OperationOutcome.issue[0].code"),
    (CAPABILITY, lambda r: r.update(status="live"), "CapabilityStatement.status"),
    (CAPABILITY, lambda r: r.update(kind="server"), "CapabilityStatement.kind"),
    (PATIENT, lambda r: r["identifier"][0].update(use="primary"), "Patient.identifier[0].use"),
    (booking_appointment(), lambda r: r["participant"][0]["actor"]["identifier"].update(use="main"),
     "Appointment.participant[0].actor.identifier.use"),
]  # fmt: skip


@pytest.mark.parametrize(("resource", "change", "expression"), VALUE_SET_CASES)
def test_core_value_sets_are_enforced(resource: Json, change: Callable[[Json], Any], expression: str) -> None:
    result = validate_resource(changed(resource, change), profile_rules=False)
    assert [(i.code, i.expression) for i in result.errors] == [("code-invalid", expression)], describe(result)
    assert "expected one of" in result.errors[0].diagnostics


@pytest.mark.parametrize(
    ("resource", "element"),
    [(booking_appointment(), "participant"), (SCHEDULE, "actor"), (OUTCOME, "issue"), (CAPABILITY, "format")],
)
def test_one_to_many_lists_must_not_be_empty(resource: Json, element: str) -> None:
    result = validate_resource(changed(resource, lambda r: r.update({element: []})), profile_rules=False)
    expression = f"{resource['resourceType']}.{element}"
    # (Without participants the booking's contained Patient is referenced by nothing: dom-3 too.)
    required = [(i.code, i.expression) for i in result.errors if i.code != "invariant"]
    assert required == [("required", expression)], describe(result)


def test_bundle_entries_are_validated_with_their_own_path() -> None:
    bundle = forty_entry_bundle()
    bundle["entry"][3]["resource"].pop("end")
    bundle["entry"][5]["resource"]["status"] = "open"
    bundle["entry"][7]["resource"] = "Slot/7"
    result = validate_resource(bundle)
    assert {i.expression for i in result.errors} == {
        "Bundle.entry[3].resource.end",
        "Bundle.entry[5].resource.status",
        "Bundle.entry[7].resource",
    }, describe(result)


def test_bundle_response_outcome_is_validated_as_a_resource() -> None:
    empty_outcome = {"resourceType": "OperationOutcome", "issue": []}
    bundle = {
        "resourceType": "Bundle",
        "type": "batch-response",
        "entry": [{"response": {"status": "400", "outcome": empty_outcome}}],
    }
    result = validate_resource(bundle)
    assert [i.expression for i in result.errors] == ["Bundle.entry[0].response.outcome.issue"]


# --- contained references --------------------------------------------------------------------------


def test_unresolved_contained_references_are_errors() -> None:
    appointment = booking_appointment()
    appointment["supportingInformation"][0]["reference"] = "#missing"
    appointment["contained"][1]["generalPractitioner"] = [{"reference": "#nobody"}]
    result = validate_resource(appointment)
    unresolved = {i.expression for i in result.errors if i.code == "not-found"}
    assert unresolved == {
        "Appointment.supportingInformation[0].reference",
        "Appointment.contained[1].generalPractitioner[0].reference",
    }
    # The DocumentReference is now referenced by nothing: dom-3 ("SHALL be referred to") is an error.
    [dom_3] = [i for i in result.issues if i.expression == "Appointment.contained[0]"]
    assert (dom_3.severity, dom_3.code) == ("error", "invariant")
    assert "dom-3" in dom_3.diagnostics
    assert "domainresource.html" in dom_3.source


def test_a_contained_resource_referenced_from_another_contained_one_is_referenced() -> None:
    """dom-3 looks at every reference in the resource, the contained resources' own included."""
    appointment = booking_appointment()
    appointment.pop("supportingInformation")
    appointment["contained"][1]["generalPractitioner"] = [{"reference": "#123"}]  # a Patient pointing at the document
    assert validate_resource(appointment).errors == ()


def test_contained_resources_must_not_nest() -> None:
    appointment = booking_appointment()
    appointment["contained"][1]["contained"] = [{"resourceType": "Organization", "id": "o"}]
    result = validate_resource(appointment)
    assert any("dom-2" in i.diagnostics and i.expression == "Appointment.contained[1]" for i in result.errors)


def test_parameters_resources_are_validated_and_odd_embeddings_do_not_crash() -> None:
    nameless = {"resourceType": "Location"}
    deep = {"name": "x", "part": [{"name": "y", "resource": {"resourceType": "Nope"}}]}
    parameters = {"resourceType": "Parameters", "parameter": [{"name": "a", "resource": nameless}, deep]}
    result = validate_resource(parameters)
    assert [(i.code, i.expression) for i in result.errors] == [("not-supported", "Parameters")]
    # The embedded Location is validated too: its missing name is an advisory sanity check.
    assert [(i.severity, i.expression) for i in result.issues if not i.is_error] == [
        ("warning", "Parameters.parameter[0].resource.name")
    ]
