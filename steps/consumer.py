"""Consumer suite steps for appointments: make the consumer act, then judge what it sent."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks import consumer_actions as asked
from spine_conformance.checks.consumer import (
    check_bodies,
    check_if_match_from_read,
    check_media_types,
    check_ssp_headers,
    check_ssp_url,
    check_tokens,
    interaction_of,
)
from spine_conformance.checks.consumer_actions import check_asked, require_acted
from spine_conformance.checks.consumer_exemption import check_refused_certificate, require_control
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.http import ExchangeLog
from spine_conformance.interactions import Interaction
from spine_conformance.virtual.session import ConsumerSession, Observed

TASKS = {
    "search for free slots": "search_slots",
    "book a free slot for the test patient": "book",
    "list the test patient's appointments": "search_appointments",
}
ON_BOOKING = {"reads": "read", "cancels": "cancel"}
BAD_CERTIFICATES = {
    "for another host name": "wrong-host",
    "from a CA it was not given": "untrusted-ca",
    "that has expired": "expired",
}


@given("an appointment the harness booked for the test patient", target_fixture="booked")
def harness_booking(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, booking_ledger: BookingLedger
) -> Booked:
    return actions.book_free_slot(provider, target, slot_window, booking_ledger)


@when(parsers.parse("the consumer under test is asked to {task}"), target_fixture="observed")
def ask_consumer(
    consumer_session: ConsumerSession, target: TargetConfig, booking_ledger: BookingLedger, task: str
) -> Observed:
    observed = consumer_session.act(TASKS[task])
    _remember_bookings(observed, target, booking_ledger)
    require_acted(observed.requests, observed.result, task)
    return observed


@when(parsers.parse("the consumer under test {verb} that appointment"), target_fixture="observed")
def ask_consumer_about_booking(consumer_session: ConsumerSession, booked: Booked, verb: str) -> Observed:
    action = ON_BOOKING[verb]
    observed = consumer_session.act(action, appointment_id=booked.id)
    require_acted(observed.requests, observed.result, f"{action} an appointment")
    return observed


@when(
    parsers.parse("the consumer under test searches for slots through an SSP presenting a certificate {which}"),
    target_fixture="observed",
)
def ask_through_bad_certificate(consumer_session: ConsumerSession, exchange_log: ExchangeLog, which: str) -> Observed:
    # Control first: the same action through the valid SSP must arrive, or silence proves nothing.
    require_control(consumer_session.act("search_slots").requests, "a search through an SSP with a valid certificate")
    name = BAD_CERTIFICATES[which]
    url = consumer_session.services.bad_ssp_url(name)
    exchange_log.add(consumer_session.services.certificate_evidence(name, url))
    return consumer_session.act("search_slots", ssp=name, ssp_url=url)


def _remember_bookings(observed: Observed, target: TargetConfig, ledger: BookingLedger) -> None:
    """Whatever the consumer booked is cancelled when the scenario ends, like the harness's own bookings."""
    for request in observed.requests:
        if (
            interaction_of(request, target.provider.base_url) is Interaction.CREATE_APPOINTMENT
            and request.status == 201
        ):
            actions.record_created_body(request.response_body, ledger)


@then("it sent its requests to the SSP URL joined with exactly one '/' to the provider's")
def requests_joined_once(observed: Observed, target: TargetConfig) -> None:
    check_ssp_url(observed.requests, target.provider.base_url)


@then("each request carried the four Ssp-* headers, with a fresh trace ID")
def requests_have_ssp_headers(observed: Observed, target: TargetConfig) -> None:
    check_ssp_headers(observed.requests, target)


@then("each request carried a conformant JWT for its interaction")
def requests_have_tokens(observed: Observed, target: TargetConfig) -> None:
    check_tokens(observed.requests, target)


@then("each request declared FHIR media types")
def requests_declare_media_types(observed: Observed) -> None:
    check_media_types(observed.requests)


@then("every resource it sent was valid STU3 and met its profile")
def sent_resources_valid(observed: Observed) -> None:
    check_bodies(observed.requests)


@then("its update carried If-Match with the ETag it had read")
def update_if_match(observed: Observed, target: TargetConfig) -> None:
    check_if_match_from_read(observed.requests, target.provider.base_url)


@then(parsers.parse("no request reached the SSP presenting a certificate {which}"))
def no_request_reached(observed: Observed, which: str) -> None:
    check_refused_certificate(observed.requests, which)


@then("its slot search was the specified one, the provider accepted it and the consumer reported success")
def slot_search_as_asked(observed: Observed, target: TargetConfig) -> None:
    rules = asked.slot_search_rules(target.provider.healthcare_service)
    check_asked(asked.SEARCH_SLOTS, observed.result, observed.requests, target.provider.base_url, rules)


@then("its booking was the specified one, the provider accepted it and the consumer reported success")
def booking_as_asked(observed: Observed, target: TargetConfig) -> None:
    check_asked(asked.BOOK, observed.result, observed.requests, target.provider.base_url, asked.booking_rules)


@then("its patient search was the specified one, the provider accepted it and the consumer reported success")
def patient_search_as_asked(observed: Observed, target: TargetConfig) -> None:
    rules = asked.patient_search_rules(target.patient.nhs_number)
    check_asked(asked.SEARCH_APPOINTMENTS, observed.result, observed.requests, target.provider.base_url, rules)


@then("its read was the specified one, the provider accepted it and the consumer reported success")
def read_as_asked(observed: Observed, target: TargetConfig, booked: Booked) -> None:
    rules = asked.read_rules(booked.id, target.provider.base_url)
    check_asked(asked.READ, observed.result, observed.requests, target.provider.base_url, rules)


@then("its cancellation was the specified one, the provider accepted it and the consumer reported success")
def cancellation_as_asked(observed: Observed, target: TargetConfig, booked: Booked) -> None:
    base = target.provider.base_url
    rules = asked.cancel_rules(observed.requests, booked.appointment, base)
    check_asked(asked.CANCEL, observed.result, observed.requests, base, rules)
