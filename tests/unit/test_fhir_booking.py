"""Request-level booking rules: Book (POST) and Cancel (PUT), and the helpers they share."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from spine_conformance.fhir import (
    booking_problems,
    cancel_problems,
    examples,
    patient_nhs_number,
    slot_reference_id,
    validate_resource,
)
from spine_conformance.fhir.booking import BOOKING_RULES, CANCEL_RULES

Json = dict[str, Any]
NOW = datetime(2025, 4, 30, 10, 0, 30, tzinfo=UTC)  # 30 s after the example's created
NHS = "https://fhir.nhs.uk/Id/nhs-number"


def booking(change: Callable[[Json], Any] | None = None) -> Json:
    appointment = examples.booking_appointment()
    if change is not None:
        change(appointment)
    return appointment


def stored() -> Json:
    """The appointment as the provider holds it after booking: id and version assigned."""
    appointment = booking()
    appointment["id"] = "6b7a8f1e-0000-4000-8000-000000000001"
    appointment["meta"]["versionId"] = "1"
    return appointment


def where(issues: list[Any]) -> list[tuple[str, str]]:
    return [(issue.severity, issue.expression) for issue in issues]


# --- Book ------------------------------------------------------------------------------------------


def test_valid_booking_request_has_no_problems() -> None:
    assert booking_problems(booking(), now=NOW) == []


def _nhs_only_in_contained_patient(appointment: Json) -> None:
    del appointment["participant"][0]["actor"]["identifier"]


def test_nhs_number_may_come_from_the_contained_patient() -> None:
    assert booking_problems(booking(_nhs_only_in_contained_patient), now=NOW) == []


def _no_patient(appointment: Json) -> None:
    appointment["participant"] = [{"actor": {"reference": "Practitioner/1"}, "status": "accepted"}]


def _invalid_nhs_number(appointment: Json) -> None:
    appointment["participant"][0]["actor"]["identifier"]["value"] = "1231231234"


def _no_document(appointment: Json) -> None:
    appointment["contained"].pop(0)
    appointment.pop("supportingInformation")


def _no_birth_date(appointment: Json) -> None:
    appointment["contained"][1].pop("birthDate")


E, W = "error", "warning"

# (change, expression, severity, snippet): errors are what the Booking pages or FHIR state; the
# warnings are Provider Demonstrator choices no published page states.
BOOKING_CASES: list[tuple[Callable[[Json], Any], str, str, str]] = [
    (lambda r: r.update(id="abc"), "Appointment.id", E, "must not carry an id"),
    (lambda r: r.update(status="pending"), "Appointment.status", E, "must be booked, cancelled or entered-in-error"),
    (lambda r: r.update(status="proposed"), "Appointment.status", E, "must be booked, cancelled or entered-in-error"),
    (lambda r: r.update(status="cancelled"), "Appointment.status", W, "a demonstrator choice, not a published rule"),
    (lambda r: r.update(status="entered-in-error"), "Appointment.status", W, "a demonstrator choice"),
    (lambda r: r.pop("slot"), "Appointment.slot", E, "exactly one slot reference is required, got 0"),
    (lambda r: r["slot"].append({"reference": "Slot/slot003"}), "Appointment.slot", E, "got 2"),
    (lambda r: r.pop("start"), "Appointment.start", E, "start is required"),
    (lambda r: r.pop("end"), "Appointment.end", E, "end is required"),
    (lambda r: r.update(created="yesterday"), "Appointment.created", E, "not a FHIR dateTime"),
    (lambda r: r.update(created="2025-04-30T10:02:00+00:00"), "Appointment.created", W, "in the future"),
    (lambda r: r.update(created="2025-05-01"), "Appointment.created", W, "a demonstrator choice"),
    (_no_patient, "Appointment.participant", E, "no participant identifies the patient"),
    (_invalid_nhs_number, "Appointment.participant[0].actor", E, "not a valid NHS number"),
    (_no_document, "Appointment.contained", E, "no contained DocumentReference"),
    (_no_birth_date, "Appointment.contained[1].birthDate", E, "the contained Patient has no birthDate"),
    (lambda r: r["contained"].pop(1), "Appointment.contained", E, "no contained Patient"),
    (lambda r: r["contained"].append(examples.patient("P2")), "Appointment.contained", E,
     "2 contained Patient resources: at most one"),
    (lambda r: r["contained"][1].pop("gender"), "Appointment.contained[1].gender", E, "has no gender"),
    (lambda r: r["contained"][1].pop("address"), "Appointment.contained[1].address", E, "has no address"),
    (lambda r: r["contained"][1].pop("telecom"), "Appointment.contained[1].telecom", E, "has no telecom"),
]  # fmt: skip


def booking_2x(change: Callable[[Json], Any] | None = None) -> Json:
    appointment = examples.booking_appointment_2x()
    if change is not None:
        change(appointment)
    return appointment


def _second_rank_one(appointment: Json) -> None:
    appointment["contained"][1]["contact"][0]["telecom"][0]["rank"] = 1


# The 2.x pages: the NHS number and the telecom are optional, the contained DocumentReference and Patient a
# SHOULD, the Slot contained; telecom ranks are the pages' examples and the TKW pack's reading.
EDITION_2_CASES: list[tuple[Callable[[Json], Any], str, str, str]] = [
    (lambda r: r.update(slot=[{"reference": "Slot/slot002"}]), "Appointment.slot[0].reference", W,
     "is not a contained Slot"),
    (_second_rank_one, "Appointment.contained[1].telecom", W, "2 telecoms have rank 1"),
    (lambda r: r["contained"][1]["contact"][0]["telecom"][0].pop("rank"), "Appointment.contained[1].telecom", W,
     "has no rank"),
    (_no_document, "Appointment.contained", W, "no contained DocumentReference"),
    (_no_patient, "Appointment.participant", E, "no participant names the Patient"),
    (lambda r: r["contained"].append(examples.slot(3)), "Appointment.contained", E, "2 contained Slot resources"),
]  # fmt: skip


def test_a_2x_booking_request_has_no_problems_in_edition_2_only() -> None:
    assert booking_problems(booking_2x(), now=NOW, edition="2") == []


def test_the_2x_pages_make_the_nhs_number_and_the_telecom_optional() -> None:
    def anonymous(appointment: Json) -> None:
        patient = appointment["contained"][1]
        patient.pop("identifier")
        patient.pop("telecom")
        patient.pop("contact", None)
        del appointment["participant"][0]["actor"]["identifier"]

    assert booking_problems(booking_2x(anonymous), now=NOW, edition="2") == []
    assert {issue.expression for issue in booking_problems(booking(anonymous), now=NOW)} == {
        "Appointment.participant",
        "Appointment.contained[1].telecom",
    }


@pytest.mark.parametrize(("change", "expression", "severity", "snippet"), EDITION_2_CASES)
def test_booking_rules_of_the_2x_edition(
    change: Callable[[Json], Any], expression: str, severity: str, snippet: str
) -> None:
    issues = booking_problems(booking_2x(change), now=NOW, edition="2")
    assert where(issues) == [(severity, expression)]
    assert snippet in issues[0].diagnostics
    assert "https://" in issues[0].source


@pytest.mark.parametrize(("change", "expression", "severity", "snippet"), BOOKING_CASES)
def test_booking_rules_and_their_severity(
    change: Callable[[Json], Any], expression: str, severity: str, snippet: str
) -> None:
    issues = booking_problems(booking(change), now=NOW)
    assert where(issues) == [(severity, expression)]
    assert snippet in issues[0].diagnostics
    assert issues[0].code == "business-rule"
    assert "https://" in issues[0].source  # the issue cites its rule


def test_every_booking_rule_has_a_case() -> None:
    reported = {rule.name for change, *_ in BOOKING_CASES for rule in BOOKING_RULES if rule.check(booking(change), NOW)}
    reported |= {
        rule.name for change, *_ in EDITION_2_CASES for rule in BOOKING_RULES if rule.check(booking_2x(change), NOW)
    }
    assert {rule.name for rule in BOOKING_RULES} - reported == set()


@pytest.mark.parametrize(
    "created",
    ["2025-04-30T10:01:00+00:00", "2025-04-30T10:00:00Z", "2025-04-30", "2025-04-30T11:00:00+01:00", None],
)
def test_created_within_clock_skew_or_absent_is_fine(created: str | None) -> None:
    appointment = booking()
    if created is None:
        del appointment["created"]
    else:
        appointment["created"] = created
    assert booking_problems(appointment, now=NOW) == []


def test_birth_date_is_required_only_of_the_patient_in_a_booking() -> None:
    """The Booking page's MUST; CareConnect-Patient-1 leaves birthDate 0..1, so elsewhere it is advisory."""
    appointment = booking(_no_birth_date)
    assert validate_resource(appointment).ok
    assert [(i.severity, i.expression) for i in validate_resource(appointment).issues] == [
        ("warning", "Appointment.contained[1].birthDate")
    ]
    assert where(booking_problems(appointment, now=NOW)) == [("error", "Appointment.contained[1].birthDate")]


def test_booking_problems_defaults_to_the_current_time() -> None:
    future = booking_problems(booking(lambda r: r.update(created="2999-01-01T00:00:00Z")))
    assert where(future) == [("warning", "Appointment.created")]
    assert booking_problems(booking()) == []


# --- Cancel ----------------------------------------------------------------------------------------


def cancelled(current: Json, change: Callable[[Json], Any] | None = None) -> Json:
    submitted = copy.deepcopy(current)
    submitted["status"] = "cancelled"
    if change is not None:
        change(submitted)
    return submitted


def test_cancel_that_changes_only_status_is_fine() -> None:
    current = stored()
    assert cancel_problems(current, cancelled(current)) == []


def test_cancel_may_change_meta_created_and_text() -> None:
    current = stored()

    def housekeeping(r: Json) -> None:
        r["meta"] = {"versionId": "2", "lastUpdated": "2025-04-30T11:00:00Z"}
        r["created"] = "2025-04-30T11:00:00+00:00"  # the seed wanted created = cancellation time
        r["text"] = {"status": "generated", "div": "<div xmlns='http://www.w3.org/1999/xhtml'>cancelled</div>"}

    assert cancel_problems(current, cancelled(current, housekeeping)) == []


def _surname(r: Json) -> None:
    r["contained"][1]["name"][0]["family"] = "Smyth"


@pytest.mark.parametrize(
    ("change", "expression", "snippet"),
    [
        (lambda r: r.update(status="booked"), "Appointment.status", "status must be 'cancelled'"),
        (lambda r: r.update(status="entered-in-error"), "Appointment.status", "status must be 'cancelled'"),
        (lambda r: r.update(id="other"), "Appointment.id", "does not match the appointment"),
        (lambda r: r.update(description="Changed"), "Appointment.description", "'Reason for calling' → 'Changed'"),
        (_surname, "Appointment.contained", "content differs"),  # TKW: changed surname → 422
        (lambda r: r["slot"][0].update(reference="Slot/slot003"), "Appointment.slot", "content differs"),
        (lambda r: r["participant"][0].update(status="declined"), "Appointment.participant", "content differs"),
        (lambda r: r.update(comment="please cancel"), "Appointment.comment", "added"),
        (lambda r: r.pop("supportingInformation"), "Appointment.supportingInformation", "removed"),
    ],
)
def test_cancel_rule_violations(change: Callable[[Json], Any], expression: str, snippet: str) -> None:
    current = stored()
    issues = cancel_problems(current, cancelled(current, change))
    assert where(issues) == [("error", expression)]
    assert snippet in issues[0].diagnostics
    assert issues[0].code == "business-rule"
    assert "https://" in issues[0].source


def test_every_cancel_rule_has_a_case() -> None:
    current = stored()
    reported = {
        rule.name
        for change in (lambda r: r.update(status="booked"), lambda r: r.update(id="x"), _surname)
        for rule in CANCEL_RULES
        if rule.check(current, cancelled(current, change))
    }
    assert {rule.name for rule in CANCEL_RULES} - reported == set()


def test_cancel_reports_every_changed_element() -> None:
    current = stored()

    def several(r: Json) -> None:
        r.update(description="x", start="2025-05-02T09:00:00+00:00", minutesDuration=15)

    issues = cancel_problems(current, cancelled(current, several))
    expressions = [e for _, e in where(issues)]
    assert expressions == ["Appointment.description", "Appointment.minutesDuration", "Appointment.start"]


# --- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ([{"reference": "Slot/slot002"}], "slot002"),
        ([{"reference": "Slot/slot002"}, {"reference": "Slot/slot003"}], None),
        ([{"reference": "#slot002"}], None),
        ([{"reference": "https://p.example/STU3/1/Slot/slot002"}], "slot002"),  # under the provider's base
        ([{"reference": "https://other.example/STU3/1/Slot/slot002"}], None),  # another server's slot
        ([{"reference": "Slot/slot002/_history/2"}], "slot002"),
        ([{"display": "a slot"}], None),
        ([], None),
        (None, None),
    ],
)
def test_slot_reference_id(slots: Any, expected: str | None) -> None:
    appointment = booking(lambda r: r.pop("slot") if slots is None else r.update(slot=slots))
    assert slot_reference_id(appointment, "https://p.example/STU3/1") == expected


def test_absolute_slot_references_need_the_base() -> None:
    appointment = booking(lambda r: r.update(slot=[{"reference": "https://p.example/STU3/1/Slot/slot002"}]))
    assert slot_reference_id(appointment) is None
    assert slot_reference_id(appointment, "https://p.example/STU3/1/") == "slot002"


def _identifier_only(r: Json) -> None:
    r["contained"].pop(1)
    r["participant"][0]["actor"] = {"identifier": {"system": NHS, "value": "9000000009"}}


def _practitioner_first(r: Json) -> None:
    r["participant"].insert(0, {"actor": {"reference": "Practitioner/1"}, "status": "accepted"})


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (None, "9434765919"),
        (_nhs_only_in_contained_patient, "9434765919"),
        (_identifier_only, "9000000009"),
        (_practitioner_first, "9434765919"),
        (_no_patient, None),
        (lambda r: r.pop("participant"), None),
    ],
)
def test_patient_nhs_number(change: Callable[[Json], Any] | None, expected: str | None) -> None:
    assert patient_nhs_number(booking(change)) == expected
