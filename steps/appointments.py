"""read / vread / patient search / cancel steps."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked, Cancelled
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.negative import cancel_change
from spine_conformance.checks.appointments import (
    check_cancelled,
    check_patient_search,
    check_read,
    check_version_kept,
    usable_version,
)
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction

NEVER_ISSUED_ID = "spine-conformance-never-issued-0000"


@given("an appointment the consumer has booked and then cancelled", target_fixture="cancelled")
def booked_and_cancelled(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, booking_ledger: BookingLedger
) -> Cancelled:
    return actions.book_and_cancel(provider, target, slot_window, booking_ledger)


@when("the consumer reads the appointment", target_fixture="response")
def read_appointment(provider: ProviderClient, booked: Booked) -> HttpResponse:
    return actions.read(provider, booked.id)


@when("the consumer reads an appointment id the provider never issued", target_fixture="response")
def read_unknown(provider: ProviderClient) -> HttpResponse:
    return actions.read(provider, NEVER_ISSUED_ID)


@when("the consumer reads the first version of the appointment", target_fixture="response")
def read_first_version(provider: ProviderClient, cancelled: Cancelled) -> HttpResponse:
    return actions.read(provider, cancelled.booked.id, cancelled.booked.version)


@when("the consumer searches for the test patient's appointments", target_fixture="response")
def search_patient_appointments(provider: ProviderClient, target: TargetConfig) -> HttpResponse:
    value = f"{NHS_NUMBER_SYSTEM}|{target.patient.nhs_number}"
    return provider.send(
        Interaction.SEARCH_APPOINTMENT,
        "Appointment",
        params=[(PATIENT_SEARCH_PARAMETER, value)],
        label="search the patient's appointments",
    )


@then("the provider returns the appointment with meta.versionId and a matching weak ETag", target_fixture="current")
def appointment_returned(response: HttpResponse, booked: Booked) -> dict[str, Any]:
    return check_read(response, booked.id)


@then("it is the first version as booked")
def first_version_kept(response: HttpResponse, cancelled: Cancelled) -> None:
    check_version_kept(response, cancelled.booked.id, cancelled.booked.version, "booked")


@then("the booked appointment is in it with a fullUrl naming its version")
def booked_appointment_found(bundle: dict[str, Any], provider: ProviderClient, booked: Booked) -> None:
    check_patient_search(bundle, provider.base_url, booked.id)


@when("the consumer cancels it with If-Match from the ETag it read", target_fixture="response")
def cancel_with_if_match(provider: ProviderClient, current: dict[str, Any]) -> HttpResponse:
    return actions.cancel(provider, current, weak_etag(version_of(current)))


@when(parsers.parse("the consumer cancels it with If-Match but also changes {element}"), target_fixture="response")
def cancel_with_changes(provider: ProviderClient, current: dict[str, Any], element: str) -> HttpResponse:
    return actions.cancel(
        provider,
        current,
        weak_etag(version_of(current)),
        cancel_change(current, element),
        label=f"cancel changing {element}",
    )


@when("the consumer cancels it without If-Match", target_fixture="response")
def cancel_without_if_match(provider: ProviderClient, current: dict[str, Any]) -> HttpResponse:
    return actions.cancel(provider, current, None, label="cancel without If-Match")


@when("the consumer cancels it with If-Match naming a version it does not have", target_fixture="response")
def cancel_with_stale_if_match(provider: ProviderClient, current: dict[str, Any]) -> HttpResponse:
    return actions.cancel(
        provider, current, actions.other_version_etag(version_of(current)), label="cancel with a mismatched If-Match"
    )


@then("the provider confirms the cancellation with 200, a new version, an ETag and Last-Modified")
def cancellation_confirmed(response: HttpResponse, current: dict[str, Any]) -> None:
    check_cancelled(response, str(current["id"]), version_of(current))


@when("the consumer reads the version it booked", target_fixture="response")
def read_booked_version(provider: ProviderClient, booked: Booked) -> HttpResponse:
    return actions.read(provider, booked.id, booked.version)


@then("it is the version it booked, unchanged")
def booked_version_kept(response: HttpResponse, booked: Booked) -> None:
    check_version_kept(response, booked.id, booked.version, "booked")


@then("the provider returns the appointment and its version", target_fixture="current")
def appointment_and_version(response: HttpResponse) -> dict[str, Any]:
    # Set-up for an update: only what the update needs (APPT-READ-01 has its own scenario).
    appointment, _ = usable_version(response, (200,), "APPT-READ-01")
    return appointment
