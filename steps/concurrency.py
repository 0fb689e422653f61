"""Racing requests: concurrent updates of one version and concurrent bookings of one slot."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.race import race
from spine_conformance.checks.appointments import check_read
from spine_conformance.checks.concurrency import check_no_lost_update, check_single_winner
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.http import HttpResponse


@when(
    parsers.parse("{count:d} consumers cancel it at the same time with the same If-Match"),
    target_fixture="racing_responses",
)
def racing_cancels(provider: ProviderClient, current: dict[str, Any], count: int) -> list[HttpResponse]:
    if_match = weak_etag(version_of(current))
    return race(count, lambda i: actions.cancel(provider, current, if_match, label=f"racing cancel {i + 1}"))


@when(parsers.parse("{count:d} consumers book it at the same time"), target_fixture="racing_responses")
def racing_bookings(
    provider: ProviderClient, target: TargetConfig, free_slot: dict[str, Any], booking_ledger: BookingLedger, count: int
) -> list[HttpResponse]:
    return race(
        count, lambda i: actions.book(provider, target, free_slot, booking_ledger, label=f"racing booking {i + 1}")
    )


@then("exactly one cancellation succeeds and the others are refused with 409")
def one_cancellation_wins(racing_responses: list[HttpResponse]) -> None:
    check_single_winner([r.status for r in racing_responses], 200, 409, "CONC-03")


@then("the appointment moved on by exactly one version")
def no_lost_update(provider: ProviderClient, booked: Booked, current: dict[str, Any]) -> None:
    final = check_read(actions.read(provider, booked.id), booked.id, requirement="CONC-03")
    check_no_lost_update(version_of(final), version_of(current))


@then("exactly one booking succeeds and the others are refused with the configured slot conflict status")
def one_booking_wins(racing_responses: list[HttpResponse], target: TargetConfig) -> None:
    check_single_winner([r.status for r in racing_responses], 201, target.spec.slot_conflict_status, "CONC-04")
