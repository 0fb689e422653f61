"""search:slot variants: parameters left out, other statuses, query parts the Booking editions treat
differently, bad start values, and a service without free slots."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pytest_bdd import parsers, then, when

from spine_conformance.appointments import actions, slot_variants
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.checks.refusals import check_pinned
from spine_conformance.checks.slot_variants import (
    check_asked_includes,
    check_known_slot_returned,
    check_no_matches,
    check_statuses,
)
from spine_conformance.checks.slots import SlotWindow, check_searchset
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import ADVISORY, NORMATIVE, NotTestable
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction, seed_include_names


def _search(provider: ProviderClient, query: list[tuple[str, str]], label: str) -> HttpResponse:
    return provider.send(Interaction.SEARCH_SLOT, "Slot", params=query, label=label)


def _sent_query(response: HttpResponse) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(response.exchange.url).query)


@when(parsers.parse("the consumer searches for free slots leaving out {part}"), target_fixture="response")
def search_leaving_out(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, part: str
) -> HttpResponse:
    query, _ = slot_variants.left_out(slot_window, target.provider.healthcare_service, part)
    return _search(provider, query, f"slot search without {part}")


@then(parsers.parse("the free slot is among the slots returned, as {requirement} requires"))
def known_slot_returned(bundle: dict[str, Any], free_slot: dict[str, Any], requirement: str) -> None:
    check_known_slot_returned(bundle, free_slot, requirement)


@then(parsers.parse("it includes what was asked for, as {requirement} requires"))
def asked_includes(
    response: HttpResponse, bundle: dict[str, Any], provider: ProviderClient, target: TargetConfig, requirement: str
) -> None:
    asked = seed_include_names(_sent_query(response))
    severity = ADVISORY if target.spec.edition == "2" else NORMATIVE  # 2.x: the includes are a SHOULD
    check_asked_includes(bundle, asked, provider.base_url, requirement, missing_severity=severity)


@when(parsers.parse("the consumer searches around the booked slot for {statuses} slots"), target_fixture="response")
def search_statuses(provider: ProviderClient, target: TargetConfig, booked: Booked, statuses: str) -> HttpResponse:
    window = SlotWindow.around(str(booked.slot["start"]))
    query = slot_variants.status_query(window, target.provider.healthcare_service, statuses)
    return _search(provider, query, f"slot search for {statuses} slots")


@then("the provider answers the status search as the Booking edition says, as SLOT-06 requires")
def statuses_answered(response: HttpResponse, target: TargetConfig, booked: Booked) -> None:
    check_pinned(response, slot_variants.status_answer(target.spec.busy_search, target.spec.edition), "SLOT-06")
    if response.status == 200:
        statuses = dict(_sent_query(response))["status"].split(",")
        check_statuses(check_searchset(response, "SLOT-06"), statuses, str(booked.slot["id"]), "SLOT-06")


@when(parsers.parse("the consumer searches for free slots with {part}"), target_fixture="response")
def search_with_part(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, part: str
) -> HttpResponse:
    service = target.provider.healthcare_service
    if part in slot_variants.BAD_STARTS:
        return _search(provider, slot_variants.bad_start(slot_window, service, part), f"slot search with {part}")
    query, _ = slot_variants.edition_variant(slot_window, service, part, target.spec.edition)
    return _search(provider, query, f"slot search with {part}")


@then(parsers.parse("the provider answers {part} as the Booking edition says, as SLOT-07 requires"))
def answered_as_edition(response: HttpResponse, slot_window: SlotWindow, target: TargetConfig, part: str) -> None:
    _, pinned = slot_variants.edition_variant(
        slot_window, target.provider.healthcare_service, part, target.spec.edition
    )
    check_pinned(response, pinned, "SLOT-07")


@when("the consumer searches for free slots of the service that has none", target_fixture="response")
def search_service_without_slots(provider: ProviderClient, target: TargetConfig) -> HttpResponse:
    service = target.provider.service_without_free_slots
    if not service:
        raise NotTestable(
            "no [provider] service_without_free_slots is configured; name a service the provider knows "
            "that has no free slot to test that its search is an empty searchset"
        )
    window = actions.slot_window(target)
    return _search(provider, window.query(service), "slot search of a service without free slots")


@then(parsers.parse("it holds no {resource_type}, as {requirement} requires"))
def no_matches(bundle: dict[str, Any], resource_type: str, requirement: str) -> None:
    check_no_matches(bundle, resource_type, requirement)
