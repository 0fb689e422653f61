"""Booking request rules about what the Appointment contains: its contained resources, the Patient's
details and, in the 2.x edition, the contained Slot and the Patient's telecom ranks.

Each function has the Book rule signature ``(appointment, now) -> issues``; :data:`.booking.BOOKING_RULES`
gives each its source, severity and the Booking editions it belongs to: the seed pages make the
DocumentReference, the Patient and its telecom mandatory; the 2.x pages make the NHS number and the
telecom optional, ask that the three contained resources be there "if supported" (SHOULD), and carry
the Slot contained (``#<id>``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .outcome import Issue
from .profiles_common import contained_by_id, items, patient_actor, present, text

CONTAINED_ONCE = ("DocumentReference", "Patient", "Slot")
# The seed pages' Patient "MUST include" table (appointment.md, patient.md) and the 2.x patient.md [1..1] rows;
# birthDate has its own rule (booking_patient_birth_date), telecom its own (the editions differ).
PATIENT_ELEMENTS = ("name", "gender", "address")


def _rule(expression: str, diagnostics: str) -> Issue:
    return Issue("error", "business-rule", diagnostics, expression)


def _contained_patients(appointment: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    return [(index, item) for index, item in items(appointment, "contained") if item.get("resourceType") == "Patient"]


def booking_contained_once(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """contained[0] (DocumentReference), contained[1] (Patient) and, in 2.x, contained[2] (Slot) are each [1..1]."""
    counts = Counter(str(item.get("resourceType")) for _, item in items(appointment, "contained"))
    return [
        _rule("Appointment.contained", f"{count} contained {kind} resources: at most one is allowed")
        for kind, count in sorted(counts.items())
        if kind in CONTAINED_ONCE and count > 1
    ]


def booking_contained_patient(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """The seed pages: "The appointment resource MUST have two contained resources", the second a Patient."""
    if _contained_patients(appointment):
        return []
    return [_rule("Appointment.contained", "no contained Patient (the participant the appointment is booked for)")]


def booking_patient_elements(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """The contained Patient's name, gender and address ("MUST include", [1..1] in both editions)."""
    return [
        _rule(f"Appointment.contained[{index}].{key}", f"the contained Patient has no {key}")
        for index, patient in _contained_patients(appointment)
        for key in PATIENT_ELEMENTS
        if not present(patient.get(key))
    ]


def booking_patient_telecom(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """The seed pages' Patient MUST include a telecom ("The number the Patient can be called back on")."""
    return [
        _rule(f"Appointment.contained[{index}].telecom", "the contained Patient has no telecom (a call-back number)")
        for index, patient in _contained_patients(appointment)
        if not items(patient, "telecom")
    ]


def booking_patient_participant(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """2.x: the NHS number is optional, but a participant still names the Patient the appointment is for."""
    if any(True for _ in patient_actor(appointment)):
        return []
    return [_rule("Appointment.participant", "no participant names the Patient (a reference to the contained Patient)")]


def booking_slot_contained(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """2.x: the slot is referenced "#<id>" and the Slot is contained ("The Slot resource must be contained")."""
    contained = contained_by_id(appointment)
    issues = []
    for index, slot in items(appointment, "slot"):
        reference = text(slot.get("reference"))
        target = contained.get(reference[1:]) if reference.startswith("#") else None
        if target is None or target.get("resourceType") != "Slot":
            issues.append(
                _rule(f"Appointment.slot[{index}].reference", f"{reference or '(none)'!r} is not a contained Slot")
            )
    return issues


def _telecoms(patient: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = [telecom for _, telecom in items(patient, "telecom")]
    for _, contact in items(patient, "contact"):
        found += [telecom for _, telecom in items(contact, "telecom")]
    return found


def booking_patient_telecom_ranks(appointment: Mapping[str, Any], now: datetime) -> list[Issue]:
    """2.x (the pages' examples, checked by the TKW pack): every telecom of the Patient and its contacts
    is ranked, and exactly one is rank 1."""
    issues = []
    for index, patient in _contained_patients(appointment):
        telecoms = _telecoms(patient)
        if not telecoms:
            continue
        ranks = [telecom.get("rank") for telecom in telecoms]
        where = f"Appointment.contained[{index}].telecom"
        if any(not isinstance(rank, int) or isinstance(rank, bool) for rank in ranks):
            issues.append(_rule(where, "a telecom of the Patient or its contact has no rank"))
        if ranks.count(1) != 1:
            issues.append(_rule(where, f"{ranks.count(1)} telecoms have rank 1: exactly one must"))
    return issues
