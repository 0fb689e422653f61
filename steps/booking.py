"""create:appointment steps: booking, rebooking, invalid bookings."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.booking_defects import booking_defect
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.appointments import check_created
from spine_conformance.checks.responses import check_error_outcome
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HttpResponse


@given("a free slot in the configured window", target_fixture="free_slot")
def a_free_slot(provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow) -> dict[str, Any]:
    return actions.pick(actions.free_slots(provider, target, slot_window))


@given("a slot the consumer has booked", target_fixture="booked")
def a_booked_slot(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, booking_ledger: BookingLedger
) -> Booked:
    return actions.book_free_slot(provider, target, slot_window, booking_ledger)


@when("the consumer books the slot for the test patient", target_fixture="response")
def book_the_slot(
    provider: ProviderClient,
    target: TargetConfig,
    slot_window: SlotWindow,
    free_slot: dict[str, Any],
    booking_ledger: BookingLedger,
) -> HttpResponse:
    return actions.book_or_try_another(provider, target, slot_window, free_slot, booking_ledger)


@when("the consumer books the same slot again", target_fixture="response")
def book_again(
    provider: ProviderClient, target: TargetConfig, booked: Booked, booking_ledger: BookingLedger
) -> HttpResponse:
    return actions.book(provider, target, booked.slot, booking_ledger, label="book the same slot again")


@when(parsers.parse("the consumer books the slot with an Appointment that has {defect}"), target_fixture="response")
def book_invalid(
    provider: ProviderClient,
    target: TargetConfig,
    free_slot: dict[str, Any],
    booking_ledger: BookingLedger,
    defect: str,
) -> HttpResponse:
    body = booking_defect(defect).change(
        booking_request(target.patient, free_slot, actions.DESCRIPTION, target.spec.edition)
    )
    return actions.book(provider, target, free_slot, booking_ledger, body=body, label=f"book with {defect}")


@then(
    "the provider confirms the booking with 201, a versioned Location, an ETag and the stored Appointment",
    target_fixture="booked",
)
def booking_confirmed(response: HttpResponse, provider: ProviderClient) -> Booked:
    slot = actions.requested_slot(response)
    identifiers = [str(i.get("value")) for i in slot.get("identifier") or [] if isinstance(i, dict)]
    appointment = check_created(response, provider.base_url, str(slot["id"]), identifiers)
    return Booked(appointment, str(response.headers.get("etag")), slot)


@then("the provider refuses it with the configured slot conflict status and an OperationOutcome")
def slot_conflict_refused(response: HttpResponse, target: TargetConfig) -> None:
    check_error_outcome(response, target.spec.slot_conflict_status, "APPT-CREATE-02")
