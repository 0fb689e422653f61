"""Request-level rules of the booking API (not profile rules).

Used by the reference provider to judge what a consumer sends, and by checks on consumers:
:func:`booking_problems` for ``POST /Appointment`` (Book) and :func:`cancel_problems` for the
``PUT /Appointment/[id]`` cancel (A3 "Book", A5 "Cancel" of the digest). As for the profile rules,
:data:`BOOKING_RULES` and :data:`CANCEL_RULES` give each rule its published source and severity:
an error when the Booking pages or FHIR state it, a warning for a Provider Demonstrator choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .booking_content import (
    booking_contained_once,
    booking_contained_patient,
    booking_patient_elements,
    booking_patient_participant,
    booking_patient_telecom,
    booking_patient_telecom_ranks,
    booking_slot_contained,
)
from .outcome import Issue
from .profiles_admin import is_nhs_number
from .profiles_common import contained_by_id, items, parse_datetime, patient_actor, text
from .rule_sources import (
    BK_APPOINTMENT_CONTAINED,
    BK_APPOINTMENT_CONTAINED_ONCE,
    BK_APPOINTMENT_NO_ID,
    BK_APPOINTMENT_PARTICIPANT,
    BK_APPOINTMENT_SLOT,
    BK_APPOINTMENT_STATUS,
    BK_APPOINTMENT_TIMES,
    BK_CANCEL_STATUS,
    BK_CANCEL_UNCHANGED,
    BK_CONTAINED_PATIENT,
    BK_CONTAINED_PATIENT_TELECOM,
    BK_PATIENT_BIRTH_DATE,
    BKH_APPOINTMENT_CONTAINED,
    BKH_APPOINTMENT_PARTICIPANT,
    BKH_APPOINTMENT_SLOT,
    BKH_PATIENT_ELEMENTS,
    BKH_PATIENT_TELECOM_RANK,
    BKH_SLOT_CONTAINED,
    DEMO_CREATED_NOT_FUTURE,
    DEMO_STATUS_BOOKED,
    FHIR_DATE_TIME,
    FHIR_UPDATE,
    TKW_TELECOM_RANKS,
    UEC_INVALID_NHS_NUMBER,
    Rule,
    advisory_rule,
    error_rule,
)

CREATED_SKEW = timedelta(seconds=60)
# Elements the cancel PUT may change: status (to cancelled), meta (server-managed), created (the seed
# required it be reset to the cancellation time; 2.x dropped that) and text (narrative follows status).
CANCEL_MUTABLE = frozenset({"meta", "status", "created", "text"})
# The Booking page's "booked | cancelled | entered in error" (FHIR spells the last entered-in-error).
BOOKING_STATUSES = frozenset({"booked", "cancelled", "entered-in-error"})
_SLOT_ID = re.compile(r"^Slot/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]{1,64})?$")

BookingCheck = Callable[[Mapping[str, Any], datetime], list[Issue]]  # (appointment, now) -> issues
CancelCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], list[Issue]]  # (current, submitted) -> issues


def _rule(expression: str, diagnostics: str) -> Issue:
    """An issue of a request rule; its severity and source come from the rule's table entry."""
    return Issue("error", "business-rule", diagnostics, expression)


def slot_reference_id(appointment: Mapping[str, Any], base_url: str = "") -> str | None:
    """The Slot id of the single slot reference, relative (``Slot/<id>``) or absolute under
    ``base_url``; None unless there is exactly one such reference (``#id`` and foreign URLs: None)."""
    slots = items(appointment, "slot")
    if len(slots) != 1:
        return None
    reference = text(slots[0][1].get("reference"))
    base = base_url.rstrip("/") + "/"
    if base_url and reference.startswith(base):
        reference = reference[len(base) :]
    match = _SLOT_ID.match(reference)
    return match.group(1) if match else None


def patient_nhs_number(appointment: Mapping[str, Any]) -> str | None:
    """The NHS number of the patient participant (actor.identifier or the contained Patient)."""
    for _, _, nhs in patient_actor(appointment):
        if nhs:
            return nhs
    return None


# --- Book ------------------------------------------------------------------------------------------


def booking_no_id(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    if "id" not in appointment:
        return []
    return [_rule("Appointment.id", "a booking request must not carry an id (the provider assigns it)")]


def booking_status_allowed(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    status = appointment.get("status")
    if status in BOOKING_STATUSES:
        return []
    return [_rule("Appointment.status", f"status must be booked, cancelled or entered-in-error, got {status!r}")]


def booking_status_booked(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """Only "booked" makes sense for a new booking, but the Booking page allows all three statuses."""
    status = appointment.get("status")
    if status == "booked" or status not in BOOKING_STATUSES:
        return []
    return [
        _rule(
            "Appointment.status",
            f"status is {status!r}, not 'booked': the Booking page allows it, the Provider Demonstrator "
            "refuses it (a demonstrator choice, not a published rule)",
        )
    ]


def booking_slot(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    slots = [slot for _, slot in items(appointment, "slot") if text(slot.get("reference"))]
    if len(slots) == 1:
        return []
    return [_rule("Appointment.slot", f"exactly one slot reference is required, got {len(slots)}")]


def booking_times(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    return [
        _rule(f"Appointment.{key}", f"{key} is required in a booking request")
        for key in ("start", "end")
        if not text(appointment.get(key))
    ]


def _created_moment(created: Any, now: datetime) -> bool | None:
    """Whether ``created`` is in the future (beyond the clock skew); None if it is no dateTime."""
    moment = parse_datetime(created)
    if moment is not None:
        return moment > now + CREATED_SKEW
    try:  # a date-only dateTime ("2024-05-01") is in the future only from the next day
        return date.fromisoformat(str(created)) > now.date()
    except ValueError:
        return None


def booking_created_format(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    created = appointment.get("created")
    if created is None or _created_moment(created, now) is not None:
        return []
    return [_rule("Appointment.created", f"created {created!r} is not a FHIR dateTime")]


def booking_created_not_future(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    created = appointment.get("created")
    if created is None or not _created_moment(created, now):
        return []
    note = "a demonstrator choice, not a published rule"
    return [_rule("Appointment.created", f"created {created} is in the future ({note})")]


def booking_patient(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    if any(nhs for _, _, nhs in patient_actor(appointment)):
        return []
    return [
        _rule(
            "Appointment.participant",
            "no participant identifies the patient by NHS number (actor.identifier or a contained Patient)",
        )
    ]


def booking_patient_nhs_number_valid(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    numbered = [(index, nhs) for index, _, nhs in patient_actor(appointment) if nhs]
    if not numbered or is_nhs_number(numbered[0][1]):
        return []
    index, nhs = numbered[0]
    return [_rule(f"Appointment.participant[{index}].actor", f"{nhs!r} is not a valid NHS number")]


def booking_document_reference(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """The Booking page: "The appointment resource MUST have two contained resources", the first a
    DocumentReference (contained[0] [1..1])."""
    if any(item.get("resourceType") == "DocumentReference" for item in contained_by_id(appointment).values()):
        return []
    return [_rule("Appointment.contained", "no contained DocumentReference (supportingInformation)")]


def booking_patient_birth_date(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """The Patient contained in a booking MUST have a birthdate (patient.md), which the profile leaves 0..1."""
    return [
        _rule(f"Appointment.contained[{index}].birthDate", "the contained Patient has no birthDate")
        for index, item in items(appointment, "contained")
        if item.get("resourceType") == "Patient" and not text(item.get("birthDate"))
    ]


# The seed pages ("1") and the 2.x pages ("2") differ: the NHS number and the telecom are optional in 2.x,
# the contained DocumentReference and Patient only "SHOULD" be there, and the Slot is contained.
BOOKING_RULES: tuple[Rule[BookingCheck], ...] = (
    error_rule(booking_no_id, BK_APPOINTMENT_NO_ID),
    error_rule(booking_status_allowed, BK_APPOINTMENT_STATUS),
    advisory_rule(booking_status_booked, DEMO_STATUS_BOOKED, BK_APPOINTMENT_STATUS),
    error_rule(booking_slot, BK_APPOINTMENT_SLOT),
    error_rule(booking_times, BK_APPOINTMENT_TIMES),
    error_rule(booking_created_format, FHIR_DATE_TIME),
    advisory_rule(booking_created_not_future, DEMO_CREATED_NOT_FUTURE),
    error_rule(booking_patient, BK_APPOINTMENT_PARTICIPANT, editions=("1",)),
    error_rule(booking_patient_participant, BKH_APPOINTMENT_PARTICIPANT, editions=("2",)),
    error_rule(booking_patient_nhs_number_valid, UEC_INVALID_NHS_NUMBER),
    error_rule(booking_document_reference, BK_APPOINTMENT_CONTAINED, editions=("1",)),
    advisory_rule(booking_document_reference, BKH_APPOINTMENT_CONTAINED, editions=("2",)),
    error_rule(booking_contained_patient, BK_APPOINTMENT_CONTAINED, editions=("1",)),
    advisory_rule(booking_contained_patient, BKH_APPOINTMENT_CONTAINED, editions=("2",)),
    error_rule(booking_contained_once, BK_APPOINTMENT_CONTAINED_ONCE, BKH_APPOINTMENT_SLOT),
    error_rule(booking_patient_birth_date, BK_PATIENT_BIRTH_DATE),
    error_rule(booking_patient_elements, BK_CONTAINED_PATIENT, BKH_PATIENT_ELEMENTS),
    error_rule(booking_patient_telecom, BK_CONTAINED_PATIENT_TELECOM, editions=("1",)),
    advisory_rule(booking_slot_contained, BKH_SLOT_CONTAINED, BKH_APPOINTMENT_SLOT, editions=("2",)),
    advisory_rule(booking_patient_telecom_ranks, BKH_PATIENT_TELECOM_RANK, TKW_TELECOM_RANKS, editions=("2",)),
)


def booking_problems(appointment: Mapping[str, Any], *, now: datetime | None = None, edition: str = "1") -> list[Issue]:
    """Why a POST /Appointment body is not an acceptable booking request (empty: acceptable).

    Errors make it unacceptable; warnings are advisory. Each issue carries its rule's source. Only the
    rules of the Booking ``edition`` ([spec] edition) apply.
    """
    moment = now or datetime.now(UTC)
    issues: list[Issue] = []
    for rule in BOOKING_RULES:
        if rule.applies(edition):
            issues.extend(rule.stamp(rule.check(appointment, moment)))
    return issues


# --- Cancel ----------------------------------------------------------------------------------------


def cancel_status(current: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[Issue]:
    if submitted.get("status") == "cancelled":
        return []
    return [_rule("Appointment.status", f"status must be 'cancelled', got {submitted.get('status')!r}")]


def cancel_same_id(current: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[Issue]:
    if submitted.get("id") == current.get("id"):
        return []
    return [_rule("Appointment.id", f"id {submitted.get('id')!r} does not match the appointment {current.get('id')!r}")]


def cancel_nothing_else(current: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[Issue]:
    """ "No other elements of the Appointment resource may be changed" (meta, created and text aside)."""
    return [
        _rule(f"Appointment.{key}", f"{key} must not change when cancelling ({_change(current, submitted, key)})")
        for key in sorted((set(current) | set(submitted)) - CANCEL_MUTABLE - {"id"})
        if current.get(key) != submitted.get(key)
    ]


CANCEL_RULES: tuple[Rule[CancelCheck], ...] = (
    error_rule(cancel_status, BK_CANCEL_STATUS),
    error_rule(cancel_same_id, FHIR_UPDATE),
    error_rule(cancel_nothing_else, BK_CANCEL_UNCHANGED),
)


def cancel_problems(current: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[Issue]:
    """Why a cancel PUT is not acceptable: it must only change status to cancelled (A5)."""
    issues: list[Issue] = []
    for rule in CANCEL_RULES:
        issues.extend(rule.stamp(rule.check(current, submitted)))
    return issues


def _change(current: Mapping[str, Any], submitted: Mapping[str, Any], key: str) -> str:
    if key not in submitted:
        return "removed"
    if key not in current:
        return "added"
    before, after = current[key], submitted[key]
    if isinstance(before, dict | list) or isinstance(after, dict | list):
        return "content differs"
    return f"{before!r} → {after!r}"
