"""Racing requests: one version, one slot, exactly one winner (CONC-03, CONC-04)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
RACERS = 8


def race(send: Callable[[], HttpResponse]) -> list[HttpResponse]:
    """``RACERS`` threads released together by a barrier, all sending through one shared client."""
    barrier = threading.Barrier(RACERS)

    def racer() -> HttpResponse:
        barrier.wait()
        return send()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        futures = [pool.submit(racer) for _ in range(RACERS)]
        return [future.result() for future in futures]


def test_concurrent_cancels_of_one_version_have_exactly_one_winner(client: ProviderClient, booked: Json) -> None:
    current = client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}")
    body = {**current.json(), "status": "cancelled"}
    if_match = current.headers["ETag"]

    def cancel() -> HttpResponse:
        path = f"Appointment/{booked['id']}"
        return client.send(Interaction.UPDATE_APPOINTMENT, path, body=body, extra_headers={"If-Match": if_match})

    responses = race(cancel)

    assert Counter(r.status for r in responses) == Counter({200: 1, 409: RACERS - 1})
    final = client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}")
    assert final.json()["meta"]["versionId"] == "2"
    assert final.headers["ETag"] == 'W/"2"'
    missing = client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}/_history/3")
    assert missing.status == 404


def test_concurrent_bookings_of_one_slot_have_exactly_one_winner(
    client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    appointment = booking_for(free_slot)

    responses = race(lambda: client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=appointment))

    assert Counter(r.status for r in responses) == Counter({201: 1, 422: RACERS - 1})
    winner = next(r for r in responses if r.status == 201).json()
    params = [("Appointment.participant.actor:Patient.identifier", "https://fhir.nhs.uk/Id/nhs-number|9434765919")]
    found = client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params).json()
    booked_in_slot = [
        entry["resource"]["id"]
        for entry in found["entry"]
        if entry["resource"]["slot"] == appointment["slot"] and entry["resource"]["status"] == "booked"
    ]
    assert booked_in_slot == [winner["id"]]
