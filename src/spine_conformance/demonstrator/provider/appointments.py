"""create / read / search / update (cancel) of Appointments, version-aware."""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.booked_slot import booked_slot_id, check_2x_booking
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.demonstrator.provider.seed import fhir_instant
from spine_conformance.demonstrator.provider.store import (
    SlotUnavailable,
    Store,
    StoredAppointment,
    VersionConflict,
)
from spine_conformance.fhir import (
    booking_problems,
    cancel_problems,
    outcome,
    patient_nhs_number,
    validate_resource,
)
from spine_conformance.fhir.outcome import Issue
from spine_conformance.fhir.profiles_admin import is_nhs_number

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
# Bounded like the ids in the path: an unbounded digit run could exceed int()'s digit limit (a 500).
IF_MATCH = re.compile(r'^(?:W/)?"([0-9]{1,64})"$')
MAX_VERSION = 2**63 - 1
# How long the racy fault modes yield between checking and writing, so concurrent requests interleave.
# Long enough that racers still opening TLS connections (through the SSP) arrive inside it.
RACE_WINDOW_S = 0.2


@dataclass(frozen=True)
class ProviderRules:
    """The spec choices the provider applies (from the target configuration's [spec]), and its faults."""

    slot_conflict_status: int = 422
    faults: FaultSet = field(default_factory=FaultSet)
    edition: str = "1"  # the Booking edition followed ([spec] edition)


def _issues_text(issues: list[Issue]) -> str:
    return "; ".join(f"{i.expression}: {i.diagnostics}" if i.expression else i.diagnostics for i in issues)


def check_appointment_body(resource: dict[str, Any], status_on_invalid: int = 422, edition: str = "1") -> None:
    """Reject a resource that is not a valid CareConnect Appointment (400 wrong type, 422 invalid)."""
    if resource.get("resourceType") != "Appointment":
        raise HttpError(400, outcome.INVALID_RESOURCE, "the body must be an Appointment resource")
    errors = list(validate_resource(resource, expected_type="Appointment", edition=edition).errors)
    if errors:
        raise HttpError(
            status_on_invalid,
            outcome.INVALID_RESOURCE,
            f"Validation found {len(errors)} problem(s): " + _issues_text(errors),
        )


async def create(store: Store, resource: dict[str, Any], rules: ProviderRules, base_url: str = "") -> StoredAppointment:
    """Book: a valid request (no validator or booking_problems error) naming a free slot of ours.

    ``base_url`` lets an absolute slot reference ([base]/Slot/<id>, which FHIR allows) name our slot.
    """
    faults = rules.faults
    validating = not faults.on("create-accepts-invalid")  # the fault books whatever names a free slot
    if validating:
        try:
            _check_booking(resource, rules)
        except HttpError as refused:  # fault create-invalid-400: a profile-invalid booking is "simply invalid"
            if refused.status == 422 and faults.on("create-invalid-400"):
                raise HttpError(400, refused.spine_code, refused.diagnostics) from None
            raise
    slot_id = booked_slot_id(store, resource, base_url, rules.edition)
    if slot_id is None:
        raise HttpError(
            422,
            outcome.INVALID_RESOURCE,
            f"exactly one reference to a Slot of this provider is required (Slot/<id> or {base_url}/Slot/<id>)",
        )
    slot = store.slot(slot_id)
    if slot is None:
        raise HttpError(422, outcome.REFERENCE_NOT_FOUND, f"Slot/{slot_id} does not exist")
    if validating and (resource.get("start"), resource.get("end")) != (slot.resource["start"], slot.resource["end"]):
        _same_times(resource, slot.resource)
    stored = {**resource, "id": str(uuid.uuid4())}
    racy = faults.on("racy-booking")
    if racy:  # check, then act: concurrent bookings all see the slot free before any of them claims it
        if slot.status != "free":
            raise _slot_taken(rules)
        await asyncio.sleep(RACE_WINDOW_S)
    try:
        return store.book(
            stored,
            slot_id,
            patient_nhs_number(resource),
            claim_slot=_occupies_slot(resource) and not faults.on("slot-not-marked-busy"),
            only_if_free=not racy,
        )
    except SlotUnavailable:
        raise _slot_taken(rules) from None


def _check_booking(resource: dict[str, Any], rules: ProviderRules) -> None:
    """A valid Appointment (400 wrong type, 422 invalid) meeting the Booking rules of the edition followed."""
    check_appointment_body(resource, edition=rules.edition)
    problems = [
        issue for issue in booking_problems(resource, edition=rules.edition) if issue.severity in ("error", "fatal")
    ]
    if rules.faults.on("booking-patient-unchecked"):  # the contained resources go unchecked
        problems = [issue for issue in problems if not (issue.expression or "").startswith("Appointment.contained")]
    if problems:
        raise HttpError(
            422,
            outcome.INVALID_RESOURCE,
            f"Validation found {len(problems)} problem(s): " + _issues_text(problems),
        )
    if rules.edition == "2":
        check_2x_booking(resource, rules.faults)


def _occupies_slot(resource: dict[str, Any]) -> bool:
    """The Booking page also lets a booking request carry cancelled or entered-in-error (only
    advisory, see fhir.booking.booking_status_booked); such an appointment leaves its slot free."""
    return resource.get("status") not in ("cancelled", "entered-in-error")


def _slot_taken(rules: ProviderRules) -> HttpError:
    if rules.faults.on("slot-conflict-500"):  # the conflict escapes as a server error
        return HttpError(500, outcome.INTERNAL_SERVER_ERROR, "Slot no longer available")
    return HttpError(
        rules.slot_conflict_status,
        outcome.DUPLICATE_REJECTED,
        "Slot no longer available",
        issue_code="processing" if rules.slot_conflict_status == 422 else "conflict",
    )


def _same_times(resource: dict[str, Any], slot: dict[str, Any]) -> None:
    """Start and end must be the slot's, compared as instants (offsets may be written differently)."""
    try:
        same = all(
            datetime.fromisoformat(str(resource.get(key))) == datetime.fromisoformat(slot[key])
            for key in ("start", "end")
        )
    except ValueError:
        same = False
    if not same:
        raise HttpError(
            422,
            outcome.INVALID_RESOURCE,
            f"Appointment start/end must equal the slot's ({slot['start']} to {slot['end']})",
        )


def read(store: Store, appointment_id: str, version: str | None, *, not_found_status: int = 404) -> StoredAppointment:
    """The appointment (or one version of it); ``not_found_status`` is other than 404 only for a fault."""
    # SQLite integers are 64-bit: a longer version number cannot exist (and must not reach the store).
    if version is not None and not (version.isdigit() and int(version) <= MAX_VERSION):
        raise HttpError(
            not_found_status, outcome.NO_RECORD_FOUND, f"Appointment/{appointment_id}/_history/{version} not found"
        )
    found = store.appointment(appointment_id, int(version) if version is not None else None)
    if found is None:
        what = f"Appointment/{appointment_id}" + (f"/_history/{version}" if version else "")
        raise HttpError(not_found_status, outcome.NO_RECORD_FOUND, f"{what} not found")
    return found


def search(
    store: Store, items: list[tuple[str, str]], parameter: str, faults: FaultSet | None = None
) -> list[StoredAppointment]:
    faults = faults or FaultSet()
    lax = faults.on("patient-search-nhs-unchecked")  # unknown parameters and bad check digits pass
    names = {name for name, _ in items} - {"_format"}
    if lax and parameter in names:
        names = {parameter}
    if names != {parameter}:
        raise HttpError(
            400,
            outcome.INVALID_PARAMETER,
            f"search by patient needs exactly the parameter {parameter} (got {', '.join(sorted(names))})",
        )
    values = [value for name, value in items if name == parameter]
    system, bar, nhs_number = values[0].partition("|")
    if len(values) != 1 or not bar or system != NHS_NUMBER_SYSTEM or not nhs_number.isdigit():
        raise HttpError(400, outcome.INVALID_PARAMETER, f"{parameter} must be {NHS_NUMBER_SYSTEM}|<NHS number>")
    if not is_nhs_number(nhs_number) and not lax:
        raise HttpError(400, outcome.INVALID_NHS_NUMBER, f"{nhs_number!r} is not a valid NHS number (Modulus 11)")
    # Past appointments SHOULD be excluded (search_patient_appointments.md).
    found = store.appointments_for_patient(nhs_number, int(datetime.now(UTC).timestamp()))
    return found[:1] if faults.on("patient-search-first-only") else found


def parse_if_match(header: str | None) -> int:
    if header is None:
        raise HttpError(
            412, outcome.INVALID_REQUEST_MESSAGE, "If-Match is required for an update", issue_code="conflict"
        )
    match = IF_MATCH.match(header.strip())
    if match is None:
        raise HttpError(400, outcome.INVALID_REQUEST_MESSAGE, 'If-Match must be W/"<versionId>"')
    return int(match.group(1))


async def cancel(
    store: Store,
    appointment_id: str,
    resource: dict[str, Any],
    if_match: str | None,
    rules: ProviderRules,
    base_url: str = "",
) -> StoredAppointment:
    faults = rules.faults
    # Fault if-match-optional: no If-Match means "whatever the current version is".
    optional = if_match is None and faults.on("if-match-optional")
    requested_version = None if optional else parse_if_match(if_match)
    if resource.get("resourceType") != "Appointment":
        raise HttpError(400, outcome.INVALID_RESOURCE, "the body must be an Appointment resource")
    if resource.get("id") != appointment_id:
        raise HttpError(400, outcome.INVALID_RESOURCE, "the body id must equal the id in the URL")
    current = read(store, appointment_id, None)
    expected_version = current.version if requested_version is None else requested_version
    ignore_if_match = faults.on("if-match-ignored")  # last writer wins
    if current.version != expected_version and not ignore_if_match:
        raise _conflict(appointment_id, expected_version, current.version)
    problems = [issue for issue in cancel_problems(current.resource, resource) if issue.severity in ("error", "fatal")]
    if faults.on("cancel-ignores-contained"):  # changes inside contained resources and participants slip through
        ignored = ("Appointment.contained", "Appointment.participant")
        problems = [issue for issue in problems if not (issue.expression or "").startswith(ignored)]
    if problems and not faults.on("cancel-accepts-changes"):
        raise HttpError(
            422,
            outcome.INVALID_RESOURCE,
            "a cancellation may only change the status: " + _issues_text(problems),
        )
    # Only status, meta, created and text may differ from a stored (already valid) version, so the
    # full validation is needed only when created or text changed.
    if any(resource.get(key) != current.resource.get(key) for key in ("created", "text")):
        check_appointment_body(resource, edition=rules.edition)
    slot_id = booked_slot_id(store, current.resource, base_url, rules.edition)
    cancelling = current.resource.get("status") != "cancelled" and resource.get("status") == "cancelled"
    free_slot = slot_id if cancelling and not faults.on("cancel-keeps-slot-busy") else None
    updated = {**resource, "meta": current.resource.get("meta", {})}
    racy = faults.on("racy-update")
    if racy:  # read, check, then write: concurrent updates all pass the check before any of them writes
        await asyncio.sleep(RACE_WINDOW_S)
    try:
        written = store.update(updated, None if racy or ignore_if_match else expected_version, free_slot=free_slot)
    except VersionConflict:
        latest = store.appointment(appointment_id)
        raise _conflict(appointment_id, expected_version, latest.version if latest else None) from None
    if faults.on("history-not-kept"):
        store.forget_versions_before(appointment_id, written.version)
    return written


def _conflict(appointment_id: str, expected: int, actual: int | None) -> HttpError:
    return HttpError(
        409,
        outcome.INVALID_REQUEST_MESSAGE,
        f"Appointment/{appointment_id} is at version {actual}, not {expected}",
        issue_code="conflict",
    )


def searchset(
    base_url: str, found: list[StoredAppointment], self_url: str, *, with_history: bool = True
) -> dict[str, Any]:
    """The patient search Bundle; ``with_history=False`` (a fault) leaves ``_history`` out of fullUrl."""
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": fhir_instant(datetime.now(UTC))},
        "type": "searchset",
        "total": len(found),
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base_url}/Appointment/{a.id}" + (f"/_history/{a.version}" if with_history else ""),
                "resource": a.resource,
                "search": {"mode": "match"},
            }
            for a in found
        ],
    }
