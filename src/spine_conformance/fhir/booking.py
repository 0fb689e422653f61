"""Request-level rules of the booking API (not profile rules).

Used by the reference provider to judge what a consumer sends, and by checks on consumers:
:func:`booking_problems` for ``POST /Appointment`` (Book) and :func:`cancel_problems` for the
``PUT /Appointment/[id]`` cancel (A3 "Book", A5 "Cancel" of the digest).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .outcome import Issue
from .profiles_admin import is_nhs_number
from .profiles_common import contained_by_id, items, parse_datetime, patient_actor, text

CREATED_SKEW = timedelta(seconds=60)
# Elements the cancel PUT may change: status (to cancelled), meta (server-managed), created (the seed
# required it be reset to the cancellation time; 2.x dropped that) and text (narrative follows status).
CANCEL_MUTABLE = frozenset({"meta", "status", "created", "text"})
_SLOT_ID = re.compile(r"^Slot/([A-Za-z0-9\-.]{1,64})$")


def _rule(expression: str, diagnostics: str, severity: str = "error") -> Issue:
    return Issue(severity, "business-rule", diagnostics, expression)


def slot_reference_id(appointment: Mapping[str, Any]) -> str | None:
    """The id in the single ``Slot/<id>`` reference; None unless there is exactly one slot reference."""
    slots = items(appointment, "slot")
    if len(slots) != 1:
        return None
    match = _SLOT_ID.match(text(slots[0][1].get("reference")))
    return match.group(1) if match else None


def patient_nhs_number(appointment: Mapping[str, Any]) -> str | None:
    """The NHS number of the patient participant (actor.identifier or the contained Patient)."""
    for _, _, nhs in patient_actor(appointment):
        if nhs:
            return nhs
    return None


def booking_problems(appointment: Mapping[str, Any], *, now: datetime | None = None) -> list[Issue]:
    """Why a POST /Appointment body is not an acceptable booking request (empty: acceptable)."""
    issues: list[Issue] = []
    if "id" in appointment:
        issues.append(_rule("Appointment.id", "a booking request must not carry an id (the provider assigns it)"))
    if appointment.get("status") != "booked":
        issues.append(_rule("Appointment.status", f"status must be 'booked', got {appointment.get('status')!r}"))
    issues += _slot_problems(appointment)
    issues += [
        _rule(f"Appointment.{key}", f"{key} is required in a booking request")
        for key in ("start", "end")
        if not text(appointment.get(key))
    ]
    issues += _created_problems(appointment.get("created"), now or datetime.now(UTC))
    issues += _patient_problems(appointment)
    if not any(item.get("resourceType") == "DocumentReference" for item in contained_by_id(appointment).values()):
        issues.append(
            _rule("Appointment.contained", "no contained DocumentReference (supportingInformation)", "warning")
        )
    return issues


def _slot_problems(appointment: Mapping[str, Any]) -> list[Issue]:
    slots = [slot for _, slot in items(appointment, "slot") if text(slot.get("reference"))]
    if len(slots) != 1:
        return [_rule("Appointment.slot", f"exactly one slot reference is required, got {len(slots)}")]
    return []


def _created_problems(created: Any, now: datetime) -> list[Issue]:
    if created is None:
        return []
    moment = parse_datetime(created)
    if moment is not None:
        in_future = moment > now + CREATED_SKEW
    else:
        try:  # a date-only dateTime ("2024-05-01") is in the future only from the next day
            in_future = date.fromisoformat(str(created)) > now.date()
        except ValueError:
            return [_rule("Appointment.created", f"created {created!r} is not a FHIR dateTime")]
    return [_rule("Appointment.created", f"created {created} is in the future")] if in_future else []


def _patient_problems(appointment: Mapping[str, Any]) -> list[Issue]:
    actors = list(patient_actor(appointment))
    numbered = [(index, nhs) for index, _, nhs in actors if nhs]
    if not numbered:
        return [
            _rule(
                "Appointment.participant",
                "no participant identifies the patient by NHS number (actor.identifier or a contained Patient)",
            )
        ]
    index, nhs = numbered[0]
    if is_nhs_number(nhs):
        return []
    return [_rule(f"Appointment.participant[{index}].actor", f"{nhs!r} is not a valid NHS number")]


def cancel_problems(current: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[Issue]:
    """Why a cancel PUT is not acceptable: it must only change status to cancelled (A5)."""
    issues: list[Issue] = []
    if submitted.get("status") != "cancelled":
        issues.append(_rule("Appointment.status", f"status must be 'cancelled', got {submitted.get('status')!r}"))
    if submitted.get("id") != current.get("id"):
        issues.append(
            _rule(
                "Appointment.id",
                f"id {submitted.get('id')!r} does not match the appointment {current.get('id')!r}",
            )
        )
    for key in sorted((set(current) | set(submitted)) - CANCEL_MUTABLE - {"id"}):
        if current.get(key) != submitted.get(key):
            issues.append(
                _rule(
                    f"Appointment.{key}",
                    f"{key} must not change when cancelling ({_change(current, submitted, key)})",
                )
            )
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
