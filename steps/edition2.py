"""Booking 2.x steps: the contained Slot, a Patient without an NHS number, and X-Request-ID."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions, matrix
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import REQUEST_ID, ProviderClient, RequestOverrides
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.requests import read
from spine_conformance.checks.appointments import usable_version
from spine_conformance.checks.request_ids import check_correlation_echoed, check_request_ids
from spine_conformance.checks.responses import check_status
from spine_conformance.checks.slots import SlotWindow, check_slot_offered
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


def _book(
    provider: ProviderClient,
    target: TargetConfig,
    slot: dict[str, Any],
    ledger: BookingLedger,
    request_id: str,
    label: str,
) -> HttpResponse:
    body = booking_request(target.patient, slot, actions.DESCRIPTION, edition="2")
    overrides = RequestOverrides(headers={REQUEST_ID: request_id})
    response = provider.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body, overrides=overrides, label=label)
    actions.record_created(response, ledger)
    return response


@when("the consumer books the slot with its Slot contained", target_fixture="response")
def book_contained_slot(
    provider: ProviderClient, target: TargetConfig, free_slot: dict[str, Any], booking_ledger: BookingLedger
) -> HttpResponse:
    return _book(provider, target, free_slot, booking_ledger, str(uuid.uuid4()), "book with the Slot contained")


@then(parsers.parse("the provider accepts the booking as {requirement} requires"), target_fixture="booked")
def booking_accepted(response: HttpResponse, requirement: str) -> Booked:
    check_status(response, 201, requirement)
    appointment, etag = usable_version(response, (201,), requirement)
    return Booked(appointment, etag, actions.requested_slot(response))


@then(parsers.parse("the booked slot is no longer offered as free, as {requirement} requires"))
def booked_slot_taken(bundle: dict[str, Any], booked: Booked, requirement: str) -> None:
    check_slot_offered(bundle, str(booked.slot["id"]), offered=False, requirement=requirement)


@given("a slot the consumer has booked with a known X-Request-ID", target_fixture="booked_with_id")
def booked_with_request_id(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, booking_ledger: BookingLedger
) -> tuple[Booked, str]:
    slot = actions.pick(actions.free_slots(provider, target, slot_window))
    request_id = str(uuid.uuid4())
    response = _book(provider, target, slot, booking_ledger, request_id, "book with a known X-Request-ID")
    appointment, etag = usable_version(response, (201,), "APPT-CREATE-01")
    return Booked(appointment, etag, slot), request_id


@when("the consumer books another free slot with the same X-Request-ID", target_fixture="response")
def book_reusing_request_id(
    provider: ProviderClient,
    target: TargetConfig,
    slot_window: SlotWindow,
    booking_ledger: BookingLedger,
    booked_with_id: tuple[Booked, str],
) -> HttpResponse:
    booked, request_id = booked_with_id
    others = [s for s in actions.free_slots(provider, target, slot_window) if s.get("id") != booked.slot["id"]]
    if not others:
        raise NotTestable("only one free slot in the window: a second booking needs another")
    return _book(provider, target, actions.pick(others), booking_ledger, request_id, "book reusing an X-Request-ID")


@when("the consumer cancels both with one X-Request-ID", target_fixture="response")
def cancel_both_with_one_id(provider: ProviderClient, booked_pair: tuple[Booked, Booked]) -> HttpResponse:
    request_id = str(uuid.uuid4())
    answers = []
    for booked in booked_pair:
        current, if_match = usable_version(read(provider, booked.id), (200,), "APPT-READ-01")
        answers.append(
            provider.send(
                Interaction.UPDATE_APPOINTMENT,
                f"Appointment/{booked.id}",
                body={**current, "status": "cancelled"},
                extra_headers={"If-Match": if_match},
                overrides=RequestOverrides(headers={REQUEST_ID: request_id}),
                label="cancel with a shared X-Request-ID",
            )
        )
    usable_version(answers[0], (200,), "APPT-CANCEL-01")  # the first use of the id is an ordinary cancel
    return answers[1]


@then(parsers.parse("the answer carries an X-Request-ID and the request's X-Correlation-ID, as {requirement} requires"))
def request_ids_answered(response: HttpResponse, requirement: str) -> None:
    check_request_ids(response, requirement)


@then(parsers.parse("the answer's X-Correlation-ID is the request's X-Request-ID, as {requirement} requires"))
def correlation_echoed(response: HttpResponse, requirement: str) -> None:
    check_correlation_echoed(response, requirement)


@when(parsers.parse("the consumer sends its {interaction} request without an X-Request-ID"), target_fixture="response")
def request_without_request_id(
    request: pytest.FixtureRequest,
    provider: ProviderClient,
    target: TargetConfig,
    booking_ledger: BookingLedger,
    interaction: str,
) -> HttpResponse:
    without = RequestOverrides(headers={REQUEST_ID: None})
    return matrix.send_named(
        provider,
        target,
        booking_ledger,
        interaction,
        request.getfixturevalue,
        lambda _: without,
        "without X-Request-ID",
    )
