"""update:appointment (cancel): version-aware PUT with If-Match (APPT-CANCEL, APPT-READ-03, CONC-01/02)."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
READ = Interaction.READ_APPOINTMENT
UPDATE = Interaction.UPDATE_APPOINTMENT


def read(client: ProviderClient, appointment_id: str) -> HttpResponse:
    response = client.send(READ, f"Appointment/{appointment_id}")
    assert response.status == 200, response.body[:500]
    return response


def cancel(client: ProviderClient, appointment: Json, if_match: str | None) -> HttpResponse:
    """PUT the appointment back with status cancelled; ``if_match`` None sends no If-Match at all."""
    headers = {"If-Match": if_match} if if_match is not None else {}
    body = {**appointment, "status": "cancelled"}
    return client.send(UPDATE, f"Appointment/{appointment['id']}", body=body, extra_headers=headers)


def cancel_as_read(client: ProviderClient, appointment_id: str) -> HttpResponse:
    """The spec's cancel: GET first, then PUT it back cancelled with If-Match from the ETag read."""
    current = read(client, appointment_id)
    return cancel(client, current.json(), current.headers["ETag"])


def test_cancel_answers_200_with_the_next_version(demo: Demonstrator, client: ProviderClient, booked: Json) -> None:
    response = cancel_as_read(client, booked["id"])

    assert response.status == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["meta"]["versionId"] == "2"
    assert response.headers["ETag"] == 'W/"2"'
    assert parsedate_to_datetime(response.headers["Last-Modified"]).tzinfo is not None
    assert response.headers["Location"] == f"{demo.provider_base_url}/Appointment/{booked['id']}/_history/2"


def test_read_after_cancel_answers_the_new_version(client: ProviderClient, booked: Json) -> None:
    assert cancel_as_read(client, booked["id"]).status == 200

    current = read(client, booked["id"])

    assert current.headers["ETag"] == 'W/"2"'
    assert current.json()["meta"]["versionId"] == "2"
    assert current.json()["status"] == "cancelled"


def test_the_booked_version_stays_readable_after_cancel(client: ProviderClient, booked: Json) -> None:
    assert cancel_as_read(client, booked["id"]).status == 200

    first = client.send(READ, f"Appointment/{booked['id']}/_history/1")

    assert first.status == 200
    assert first.json()["status"] == "booked"
    assert first.json()["meta"]["versionId"] == "1"


def test_a_cancelled_appointments_slot_is_free_again(
    demo: Demonstrator, client: ProviderClient, free_slot: Json, booked: Json
) -> None:
    assert cancel_as_read(client, booked["id"]).status == 200

    free = {slot.id for slot in demo.store.slots(SERVICE_ID, ["free"], None, None)}

    assert free_slot["id"] in free


def test_a_freed_slot_can_be_booked_again(
    client: ProviderClient, free_slot: Json, booked: Json, book: Callable[[Json], HttpResponse]
) -> None:
    assert cancel_as_read(client, booked["id"]).status == 200

    assert book(free_slot).status == 201


def test_cancel_with_a_stale_if_match_is_a_409(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    assert cancel_as_read(client, booked["id"]).status == 200

    expect_error(cancel(client, booked, 'W/"1"'), 409)


def test_cancel_without_if_match_is_a_412(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    expect_error(cancel(client, booked, None), 412)
    assert read(client, booked["id"]).json()["status"] == "booked"


@pytest.mark.parametrize("if_match", ["version one", "*", 'W/"1", W/"2"', 'W/"' + "9" * 5000 + '"'])
def test_a_malformed_if_match_is_a_400(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json], if_match: str
) -> None:
    expect_error(cancel(client, booked, if_match), 400)


def test_a_strong_if_match_of_the_current_version_is_accepted(client: ProviderClient, booked: Json) -> None:
    assert cancel(client, booked, '"1"').status == 200


def test_an_if_match_of_a_version_that_never_existed_is_a_409(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    expect_error(cancel(client, booked, 'W/"' + "9" * 30 + '"'), 409)


def test_a_body_whose_id_is_not_the_urls_is_a_400(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    body = {**booked, "id": "another-appointment", "status": "cancelled"}

    response = client.send(UPDATE, f"Appointment/{booked['id']}", body=body, extra_headers={"If-Match": 'W/"1"'})

    expect_error(response, 400)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"description": "Something else entirely"}, id="description"),
        pytest.param({"start": "2030-01-01T09:00:00+00:00"}, id="start"),
        pytest.param({"status": "booked"}, id="status-not-cancelled"),
    ],
)
def test_a_cancel_that_changes_anything_else_is_a_422(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json], change: Json
) -> None:
    current = read(client, booked["id"])
    body = {**current.json(), "status": "cancelled", **change}

    response = client.send(
        UPDATE, f"Appointment/{booked['id']}", body=body, extra_headers={"If-Match": current.headers["ETag"]}
    )

    expect_error(response, 422)
    assert read(client, booked["id"]).json()["status"] == "booked"


def test_cancelling_an_unknown_appointment_is_a_404(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    unknown = {**booked, "id": "no-such-appointment"}

    expect_error(cancel(client, unknown, 'W/"1"'), 404)


def test_cancelling_a_booking_made_with_an_absolute_slot_reference_frees_the_slot(
    demo: Demonstrator, client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    appointment = booking_for(free_slot)
    appointment["slot"] = [{"reference": f"{demo.provider_base_url}/Slot/{free_slot['id']}"}]
    created = client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=appointment)
    assert created.status == 201, created.body[:500]

    assert cancel_as_read(client, created.json()["id"]).status == 200

    free = {slot.id for slot in demo.store.slots(SERVICE_ID, ["free"], None, None)}
    assert free_slot["id"] in free
