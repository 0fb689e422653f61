"""The demonstrator following the Booking 2.x edition, over real TLS through the SSP stand-in, and what the
seed edition answers instead."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.booking_defects import anonymous_booking
from spine_conformance.appointments.client import CORRELATION_ID, REQUEST_ID, ProviderClient, RequestOverrides
from spine_conformance.checks.request_ids import sent_request_id
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import PatientConfig, SpecChoices
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction

Json = dict[str, Any]
NHS = "https://fhir.nhs.uk/Id/nhs-number"


@pytest.fixture(scope="module")
def demo2() -> Iterator[Demonstrator]:
    with Demonstrator(spec=SpecChoices(edition="2")) as demonstrator:
        yield demonstrator


@pytest.fixture
def client2(demo2: Demonstrator) -> Iterator[ProviderClient]:
    http = HarnessHttp(demo2.config.tls, demo2.config.http, ExchangeLog())
    yield ProviderClient(http, demo2.config)
    http.close()


def free(demo: Demonstrator) -> Json:
    return demo.store.slots(SERVICE_ID, ["free"], None, None)[0].resource


def booking(demo: Demonstrator) -> Json:
    return booking_request(PatientConfig(), free(demo), "d", edition="2")


def book(client: ProviderClient, body: Json, request_id: str | None = None) -> HttpResponse:
    overrides = RequestOverrides(headers={REQUEST_ID: request_id}) if request_id is not None else None
    return client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body, overrides=overrides)


def test_a_contained_slot_is_booked_and_the_ids_are_echoed(client2: ProviderClient, demo2: Demonstrator) -> None:
    slot = free(demo2)
    response = book(client2, booking_request(PatientConfig(), slot, "d", edition="2"))
    assert response.status == 201, response.body
    assert response.json()["slot"] == [{"reference": f"#{slot['id']}"}]
    assert demo2.store.slot(slot["id"]).status == "busy"  # type: ignore[union-attr]
    sent = sent_request_id(response)
    assert response.headers[CORRELATION_ID] == sent != response.headers[REQUEST_ID]


def test_a_request_id_is_required_and_used_once(client2: ProviderClient, demo2: Demonstrator) -> None:
    request_id = str(uuid.uuid4())
    assert book(client2, booking(demo2), request_id=request_id).status == 201
    reused = book(client2, booking(demo2), request_id=request_id)
    assert reused.status == 409 and reused.json()["resourceType"] == "OperationOutcome"
    missing = client2.send(
        Interaction.CREATE_APPOINTMENT, "Appointment", body={}, overrides=RequestOverrides(headers={REQUEST_ID: None})
    )
    assert missing.status == 400


def test_the_nhs_number_is_optional(client2: ProviderClient, demo2: Demonstrator) -> None:
    body = anonymous_booking(booking(demo2))
    assert book(client2, body).status == 201


def test_two_rank_one_telecoms_are_refused_with_400(client2: ProviderClient, demo2: Demonstrator) -> None:
    body = booking(demo2)
    body["contained"][1]["contact"][0]["telecom"][0]["rank"] = 1
    assert book(client2, body).status == 400


def test_unknown_slot_parameters_are_ignored_in_2x_and_refused_by_the_seed_edition(
    client2: ProviderClient, client: ProviderClient
) -> None:
    query = [("schedule.actor:healthcareservice", SERVICE_ID), ("status", "free"), ("colour", "blue")]
    assert client2.send(Interaction.SEARCH_SLOT, "Slot", params=query).status == 200
    assert client.send(Interaction.SEARCH_SLOT, "Slot", params=query).status == 400


def test_a_patient_search_with_an_invalid_nhs_number_is_a_400(client: ProviderClient) -> None:
    params = [(PATIENT_SEARCH_PARAMETER, f"{NHS}|9434765918")]
    answer = client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params)
    assert answer.status == 400 and answer.json()["resourceType"] == "OperationOutcome"


def test_a_service_without_slots_answers_an_empty_searchset(client: ProviderClient, demo: Demonstrator) -> None:
    service = demo.config.provider.service_without_free_slots
    query = [("schedule.actor:healthcareservice", service), ("status", "free")]
    answer = client.send(Interaction.SEARCH_SLOT, "Slot", params=query)
    assert answer.status == 200 and answer.json()["total"] == 0


def test_the_harness_asks_a_2x_target_for_its_includes_by_the_2x_names(client2: ProviderClient) -> None:
    query = SlotWindow.ahead(datetime.now(UTC), 14).query(SERVICE_ID)  # the seed names, as every step builds it
    response = client2.send(Interaction.SEARCH_SLOT, "Slot", params=query)
    assert response.status == 200, response.body
    sent = response.exchange.url
    assert "_include%3Aiterate=HealthcareService%3ALocation" in sent and "HealthcareService.location" not in sent
    kinds = {entry["resource"]["resourceType"] for entry in response.json()["entry"]}
    assert {"Slot", "Schedule", "HealthcareService", "Location", "Organization"} <= kinds
