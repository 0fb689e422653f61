"""search:slot: free slots of one service in a start window, with the six _includes (SLOT-01..04)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
SERVICE = "schedule.actor:healthcareservice"
INCLUDES = (
    "Slot:schedule",
    "Schedule:actor:Practitioner",
    "Schedule:actor:PractitionerRole",
    "Schedule:actor:HealthcareService",
    "HealthcareService.providedBy",
    "HealthcareService.location",
)
# Tomorrow 10:00 to 11:00 UTC: the seed has a slot every 15 minutes from 09:00, so five start in it.
WINDOW_START = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(10, 0), tzinfo=UTC)
WINDOW_END = WINDOW_START + timedelta(hours=1)


@pytest.fixture(autouse=True)
def seed_data(fresh_demo: Demonstrator) -> None:
    """Every test here starts from the seed data, so the window's slots are all free."""


def window_query(
    start: datetime = WINDOW_START, end: datetime = WINDOW_END, service: str = SERVICE_ID
) -> list[tuple[str, str]]:
    # isoformat() writes the +00:00 offset; sent as params, the '+' is percent-encoded.
    return [
        (SERVICE, service),
        ("status", "free"),
        ("start", f"ge{start.isoformat()}"),
        ("start", f"le{end.isoformat()}"),
    ]


def search(client: ProviderClient, params: list[tuple[str, str]]) -> HttpResponse:
    return client.send(Interaction.SEARCH_SLOT, "Slot", params=params)


def matches(bundle: Json) -> list[Json]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def included(bundle: Json) -> list[Json]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "include"]


def test_slot_search_answers_a_searchset_bundle_in_fhir_json(client: ProviderClient) -> None:
    response = search(client, window_query())

    assert "%2B00%3A00" in response.url  # the offset's '+' travels percent-encoded
    assert response.status == 200
    assert response.media_type == "application/fhir+json"
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    assert bundle["total"] == len(matches(bundle))


def test_slot_search_returns_only_free_slots_starting_inside_the_window(client: ProviderClient) -> None:
    slots = matches(search(client, window_query()).json())

    starts = [datetime.fromisoformat(slot["start"]) for slot in slots]
    assert starts == [WINDOW_START + timedelta(minutes=15 * i) for i in range(5)]
    assert {slot["resourceType"] for slot in slots} == {"Slot"}
    assert {slot["status"] for slot in slots} == {"free"}
    assert {slot["schedule"]["reference"] for slot in slots} == {"Schedule/sched1111"}


def test_a_booked_slot_is_no_longer_offered_as_free(
    client: ProviderClient, book: Callable[[Json], HttpResponse]
) -> None:
    offered = matches(search(client, window_query()).json())
    assert book(offered[0]).status == 201

    still_offered = matches(search(client, window_query()).json())

    assert [slot["id"] for slot in still_offered] == [slot["id"] for slot in offered[1:]]


def test_all_six_includes_are_present_once_each(client: ProviderClient) -> None:
    params = window_query() + [("_include", include) for include in INCLUDES]

    bundle = search(client, params).json()

    kinds = Counter((resource["resourceType"], resource["id"]) for resource in included(bundle))
    assert kinds == Counter(
        {
            ("Schedule", "sched1111"): 1,
            ("Practitioner", "ABCD123456"): 1,
            ("PractitionerRole", "R0260"): 1,
            ("HealthcareService", SERVICE_ID): 1,
            ("Organization", "A91545"): 1,
            ("Location", "loc1111"): 1,
        }
    )


def test_without_includes_only_slots_come_back(client: ProviderClient) -> None:
    bundle = search(client, window_query()).json()

    assert matches(bundle)
    assert included(bundle) == []


def test_every_full_url_is_absolute_under_the_provider_base(demo: Demonstrator, client: ProviderClient) -> None:
    params = window_query() + [("_include", include) for include in INCLUDES]

    entries = search(client, params).json()["entry"]

    for entry in entries:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"{demo.provider_base_url}/{resource['resourceType']}/{resource['id']}"
        assert urlsplit(entry["fullUrl"]).scheme == "https"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param([*window_query(), ("colour", "blue")], id="unknown-parameter"),
        pytest.param([(SERVICE, SERVICE_ID), ("status", "bogus")], id="status-bogus"),
        pytest.param([(SERVICE, SERVICE_ID), ("start", "ge2025-13-45T99:00:00+00:00")], id="malformed-start"),
        pytest.param([(SERVICE, SERVICE_ID), ("start", "ge2025-05-01")], id="start-without-time"),
        pytest.param([(SERVICE, SERVICE_ID), ("start", "eq2025-05-01T09:00:00+00:00")], id="start-bad-prefix"),
        pytest.param(window_query()[1:], id="missing-service"),
        pytest.param([*window_query(), ("_include", "Slot:patient")], id="unsupported-include"),
        pytest.param(window_query(start=WINDOW_END, end=WINDOW_START), id="window-ends-before-it-starts"),
    ],
)
def test_a_bad_slot_query_is_a_400_with_an_operation_outcome(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], params: list[tuple[str, str]]
) -> None:
    expect_error(search(client, params), 400)


def test_an_unknown_service_has_no_slots(client: ProviderClient) -> None:
    response = search(client, window_query(service="000000000000"))

    assert response.status == 200
    bundle = response.json()
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 0
    assert bundle.get("entry", []) == []
