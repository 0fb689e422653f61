"""Multi-request actions the provider suite needs as set-up: find a free slot, book it, cancel it.

Set-up steps use these; when set-up itself meets a spec violation, the check that fails names
the requirement concerned, so the scenario stops with a precise finding instead of a crash.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.requests import cancel as cancel  # re-exported: the steps call actions.cancel
from spine_conformance.appointments.requests import read as read
from spine_conformance.checks.appointments import usable_version
from spine_conformance.checks.negotiation import read_as
from spine_conformance.checks.slots import SlotWindow, check_searchset, returned_slots
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.media import XML, format_of
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.findings import NotTestable
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

BOOKING_ATTEMPTS = 3
LOCATION_ID = re.compile(r"/Appointment/([A-Za-z0-9\-.]{1,64})(?:/_history/|$)")
DESCRIPTION = "Booked by Spine Conformance; cancelled when the scenario ends"


@dataclass(frozen=True)
class Booked:
    appointment: dict[str, Any]
    etag: str
    slot: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.appointment["id"])

    @property
    def version(self) -> str:
        return version_of(self.appointment)


@dataclass(frozen=True)
class Cancelled:
    booked: Booked
    cancelled: dict[str, Any]


def slot_window(target: TargetConfig, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> SlotWindow:
    return SlotWindow.ahead(now(), target.provider.slot_window_days)


def search_slots(provider: ProviderClient, target: TargetConfig, window: SlotWindow) -> HttpResponse:
    return provider.send(
        Interaction.SEARCH_SLOT,
        "Slot",
        params=window.query(target.provider.healthcare_service),
        label="search free slots",
    )


def free_slots(provider: ProviderClient, target: TargetConfig, window: SlotWindow) -> list[dict[str, Any]]:
    bundle = check_searchset(search_slots(provider, target, window))
    slots = [slot for slot in returned_slots(bundle) if slot.get("status") == "free" and slot.get("id")]
    if not slots:
        raise NotTestable(
            f"no free slot for service {target.provider.healthcare_service} in the next "
            f"{target.provider.slot_window_days} days; widen provider.slot_window_days or choose another service"
        )
    return slots


def pick(slots: list[dict[str, Any]]) -> dict[str, Any]:
    # A random free slot, so runs sharing a target (parallel workers, nightly jobs) rarely collide.
    return random.choice(slots)


def book(
    provider: ProviderClient,
    target: TargetConfig,
    slot: dict[str, Any],
    ledger: BookingLedger,
    body: dict[str, Any] | bytes | None = None,
    label: str = "book",
) -> HttpResponse:
    request = body if body is not None else booking_request(target.patient, slot, DESCRIPTION, target.spec.edition)
    response = provider.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=request, label=label)
    record_created(response, ledger)
    return response


def record_created(response: HttpResponse, ledger: BookingLedger) -> None:
    """Remember anything the provider created, valid or not (in JSON, in XML, or only named by its
    Location when the body was left out), so clean-up can cancel it."""
    if response.status not in (200, 201):
        return
    if format_of(response.headers.get("content-type")) == XML:
        created, _ = read_as(response.body, XML)
        if created.get("id"):
            ledger.record(str(created["id"]))
    else:
        record_created_body(response.body, ledger)
    location = LOCATION_ID.search(response.headers.get("location") or "")
    if location:
        ledger.record(location.group(1))


def record_created_body(body: bytes, ledger: BookingLedger) -> None:
    try:
        created = json.loads(body)
    except ValueError:
        return
    if isinstance(created, dict) and created.get("id"):
        ledger.record(str(created["id"]))


def book_or_try_another(
    provider: ProviderClient, target: TargetConfig, window: SlotWindow, slot: dict[str, Any], ledger: BookingLedger
) -> HttpResponse:
    """Book ``slot``; if someone else took it meanwhile (a shared target), book another free one."""
    response = book(provider, target, slot, ledger)
    for _ in range(BOOKING_ATTEMPTS - 1):
        if response.status != target.spec.slot_conflict_status:
            break
        others = [s for s in free_slots(provider, target, window) if s.get("id") != slot.get("id")]
        if not others:
            break
        slot = pick(others)
        response = book(provider, target, slot, ledger, label="book another slot (the first was taken meanwhile)")
    return response


def requested_slot(response: HttpResponse) -> dict[str, Any]:
    """The slot a booking request asked for (id, start, end), read back from the request sent.

    A ``#<id>`` reference (Booking 2.x) names the contained Slot, whose id is the provider's slot id.
    """
    body = json.loads(response.exchange.request_body)
    reference = str(body["slot"][0]["reference"])
    slot = {"id": reference.lstrip("#").rsplit("/", 1)[-1], "start": body.get("start"), "end": body.get("end")}
    for item in body.get("contained") or []:
        if reference.startswith("#") and item.get("resourceType") == "Slot" and item.get("id") == slot["id"]:
            slot["identifier"] = item.get("identifier")
    return slot


def book_free_slot(provider: ProviderClient, target: TargetConfig, window: SlotWindow, ledger: BookingLedger) -> Booked:
    """Book a free slot, trying another if someone else took the chosen one meanwhile."""
    slots = free_slots(provider, target, window)
    for _ in range(BOOKING_ATTEMPTS):
        slot = pick(slots)
        response = book(provider, target, slot, ledger)
        if response.status == target.spec.slot_conflict_status and len(slots) > 1:
            slots.remove(slot)
            continue
        appointment, etag = usable_version(response, (200, 201), "APPT-CREATE-01")
        return Booked(appointment, etag, slot)
    raise NotTestable(f"{BOOKING_ATTEMPTS} free slots in a row were taken before they could be booked")


def other_version_etag(version: str) -> str:
    """A weak ETag for a version the appointment does not have (the next one, when numeric)."""
    return weak_etag(int(version) + 1) if version.isdigit() else weak_etag(f"{version}-stale")


def book_and_cancel(
    provider: ProviderClient, target: TargetConfig, window: SlotWindow, ledger: BookingLedger
) -> Cancelled:
    """Book a slot, read it (a cancel must start from a GET), and cancel it with If-Match."""
    booked = book_free_slot(provider, target, window, ledger)
    current, etag = usable_version(read(provider, booked.id), (200,), "APPT-READ-01")
    cancelled, _ = usable_version(cancel(provider, current, etag), (200,), "APPT-CANCEL-01")
    return Cancelled(booked, cancelled)
