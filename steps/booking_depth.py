"""Invalid bookings and cancels pinned to their status, what a write answers with, and a patient's
appointment search with none, several or a query the provider cannot answer."""

from __future__ import annotations

import json
import random
from typing import Any

from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.booking_defects import booking_defect, cancel_defect
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.requests import search_patient_appointments
from spine_conformance.checks.appointments import check_patient_search, usable_version
from spine_conformance.checks.content import check_keeps
from spine_conformance.checks.refusals import check_pinned, check_refused_or_ignored
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction
from spine_conformance.load.patients import synthetic_nhs_number

PATIENT_SEARCH_DEFECTS = {
    "an NHS number that fails its check digit": lambda number, _: [
        (PATIENT_SEARCH_PARAMETER, f"{NHS_NUMBER_SYSTEM}|{number[:-1]}{(int(number[-1]) + 1) % 10}")
    ],
    "an unknown search parameter": lambda number, _: [
        (PATIENT_SEARCH_PARAMETER, f"{NHS_NUMBER_SYSTEM}|{number}"),
        ("colour", "blue"),
    ],
}


def _sent(response: HttpResponse) -> dict[str, Any]:
    sent: dict[str, Any] = json.loads(response.exchange.request_body)
    return sent


@then(parsers.parse("the booking is refused as {requirement} pins it for {defect}"))
def booking_refused(response: HttpResponse, target: TargetConfig, requirement: str, defect: str) -> None:
    chosen = booking_defect(defect)
    answer = chosen.answer_for(target.spec.slot_conflict_status)
    if chosen.may_create:
        check_refused_or_ignored(response, answer, requirement, str(_sent(response).get("id")))
    else:
        check_pinned(response, answer, requirement)


@then(parsers.parse("the created Appointment returned keeps what was sent, as {requirement} requires"))
def created_keeps(response: HttpResponse, requirement: str) -> None:
    created, _ = usable_version(response, (200, 201), "APPT-CREATE-01")
    check_keeps(_sent(response), created, requirement)


@then(parsers.parse("the cancelled Appointment returned keeps what was sent, as {requirement} requires"))
def cancelled_keeps(response: HttpResponse, requirement: str) -> None:
    cancelled, _ = usable_version(response, (200,), "APPT-CANCEL-01")
    check_keeps(_sent(response), cancelled, requirement)


@when(parsers.parse("the consumer cancels it with If-Match, changing {element}"), target_fixture="response")
def cancel_changing(provider: ProviderClient, current: dict[str, Any], element: str) -> HttpResponse:
    body = cancel_defect(element).change({**current, "status": "cancelled"})
    return provider.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{current['id']}",
        body=body,
        extra_headers={"If-Match": weak_etag(version_of(current))},
        label=f"cancel changing {element}",
    )


@then(parsers.parse("the cancellation is refused as {requirement} pins it for {element}"))
def cancel_refused(response: HttpResponse, requirement: str, element: str) -> None:
    check_pinned(response, cancel_defect(element).answer, requirement)


@when("the consumer searches for the appointments of a patient who has none", target_fixture="response")
def search_patient_without_appointments(provider: ProviderClient) -> HttpResponse:
    # An NHS number from the range reserved for testing (999…, valid check digit): never a real patient.
    number = synthetic_nhs_number(random.Random())
    return search_patient_appointments(provider, number, label="search a patient who has no appointments")


@given("two slots the consumer has booked", target_fixture="booked_pair")
def two_booked_slots(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, booking_ledger: BookingLedger
) -> tuple[Booked, Booked]:
    first = actions.book_free_slot(provider, target, slot_window, booking_ledger)
    return first, actions.book_free_slot(provider, target, slot_window, booking_ledger)


@then(parsers.parse("both booked appointments are in it, as {requirement} requires"))
def both_found(
    bundle: dict[str, Any], provider: ProviderClient, booked_pair: tuple[Booked, Booked], requirement: str
) -> None:
    for booked in booked_pair:
        check_patient_search(bundle, provider.base_url, booked.id, requirement)


@when(
    parsers.parse("the consumer searches for the test patient's appointments with {defect}"), target_fixture="response"
)
def search_patient_with_defect(provider: ProviderClient, target: TargetConfig, defect: str) -> HttpResponse:
    params = PATIENT_SEARCH_DEFECTS[defect](target.patient.nhs_number, target)
    return provider.send(
        Interaction.SEARCH_APPOINTMENT, "Appointment", params=params, label=f"patient search with {defect}"
    )
