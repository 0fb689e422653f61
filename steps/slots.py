"""search:slot steps."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked, Cancelled
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.negative import slot_query_defect
from spine_conformance.checks.slots import (
    SlotWindow,
    check_includes,
    check_searchset,
    check_slot_offered,
    check_slots_in_window,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import ADVISORY, NORMATIVE
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


@when("the consumer searches for free slots around the booked slot's start", target_fixture="response")
def search_around_booked(provider: ProviderClient, target: TargetConfig, booked: Booked) -> HttpResponse:
    return actions.search_slots(provider, target, SlotWindow.around(str(booked.slot["start"])))


@when("the consumer searches for free slots around the cancelled appointment's slot", target_fixture="response")
def search_around_cancelled(provider: ProviderClient, target: TargetConfig, cancelled: Cancelled) -> HttpResponse:
    return actions.search_slots(provider, target, SlotWindow.around(str(cancelled.booked.slot["start"])))


@when("the consumer searches for free slots in the configured window", target_fixture="response")
def search_free_slots(provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow) -> HttpResponse:
    return actions.search_slots(provider, target, slot_window)


@when(parsers.parse("the consumer searches for slots with {defect}"), target_fixture="response")
def search_with_defect(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, defect: str
) -> HttpResponse:
    query = slot_query_defect(slot_window, target.provider.healthcare_service, defect)
    return provider.send(Interaction.SEARCH_SLOT, "Slot", params=query, label=f"slot search with {defect}")


@then(parsers.parse("the provider answers with a searchset Bundle as {requirement} requires"), target_fixture="bundle")
def searchset_bundle(response: HttpResponse, requirement: str) -> dict[str, Any]:
    return check_searchset(response, requirement)


@then("every slot returned is free and starts inside the window")
def slots_in_window(bundle: dict[str, Any], slot_window: SlotWindow) -> None:
    check_slots_in_window(bundle, slot_window)


@then("the included resources are exactly those related to the returned slots, once each")
def includes_related(bundle: dict[str, Any], provider: ProviderClient, target: TargetConfig) -> None:
    # The seed pages: providers MUST support the includes; the 2.x pages: SHOULD (a missing one is advisory).
    check_includes(
        bundle, base_url=provider.base_url, missing_severity=ADVISORY if target.spec.edition == "2" else NORMATIVE
    )


@then("the booked slot is no longer offered as free")
def booked_slot_not_offered(bundle: dict[str, Any], booked: Booked) -> None:
    check_slot_offered(bundle, str(booked.slot["id"]), offered=False, requirement="APPT-CREATE-04")


@then("the cancelled appointment's slot is offered as free again")
def cancelled_slot_offered(bundle: dict[str, Any], cancelled: Cancelled) -> None:
    check_slot_offered(bundle, str(cancelled.booked.slot["id"]), offered=True, requirement="APPT-CANCEL-03")


@then("the booked slot is offered as free again")
def booked_slot_offered_again(bundle: dict[str, Any], booked: Booked) -> None:
    check_slot_offered(bundle, str(booked.slot["id"]), offered=True, requirement="APPT-CANCEL-03")
