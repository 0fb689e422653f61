"""create:appointment, search:appointment and read:appointment (APPT-CREATE, APPT-SEARCH, APPT-READ)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.demonstrator.provider.http import MAX_BODY_BYTES
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
PATIENT_SEARCH = "Appointment.participant.actor:Patient.identifier"
NHS_NUMBER = "9434765919"
CREATE = Interaction.CREATE_APPOINTMENT
ROUTES = pytest.mark.parametrize("direct", [False, True], ids=["via-ssp", "direct"])


def free_slot_ids(demo: Demonstrator) -> set[str]:
    return {slot.id for slot in demo.store.slots(SERVICE_ID, ["free"], None, None)}


# -- create ---------------------------------------------------------------------------------------
def test_booking_answers_201_with_an_absolute_versioned_location(
    demo: Demonstrator, free_slot: Json, book: Callable[[Json], HttpResponse]
) -> None:
    response = book(free_slot)

    assert response.status == 201
    body = response.json()
    assert body["resourceType"] == "Appointment"
    assert body["meta"]["versionId"] == "1"
    assert response.headers["Location"] == f"{demo.provider_base_url}/Appointment/{body['id']}/_history/1"
    assert response.headers["ETag"] == 'W/"1"'
    assert parsedate_to_datetime(response.headers["Last-Modified"]).tzinfo is not None
    assert response.media_type == "application/fhir+json"


def test_booking_keeps_what_was_sent(free_slot: Json, booked: Json) -> None:
    assert booked["status"] == "booked"
    assert booked["slot"] == [{"reference": f"Slot/{free_slot['id']}"}]
    assert (booked["start"], booked["end"]) == (free_slot["start"], free_slot["end"])


def test_a_booked_slot_is_busy(demo: Demonstrator, free_slot: Json, booked: Json) -> None:
    assert free_slot["id"] not in free_slot_ids(demo)


def test_booking_a_slot_that_is_no_longer_free_is_a_conflict(
    free_slot: Json,
    booked: Json,
    book: Callable[[Json], HttpResponse],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    body = expect_error(book(free_slot), 422)  # spec.slot_conflict_status defaults to 422

    assert body["issue"][0]["diagnostics"] == "Slot no longer available"


def _proposed(appointment: Json) -> None:
    appointment["status"] = "proposed"


def _no_slot(appointment: Json) -> None:
    del appointment["slot"]


def _with_id(appointment: Json) -> None:
    appointment["id"] = "chosen-by-the-consumer"


def _start_moved(appointment: Json) -> None:
    moved = datetime.fromisoformat(appointment["start"]) + timedelta(minutes=5)
    appointment["start"] = moved.isoformat()


def _unknown_slot(appointment: Json) -> None:
    appointment["slot"] = [{"reference": "Slot/no-such-slot"}]


def _invalid_nhs_number(appointment: Json) -> None:
    appointment["participant"][0]["actor"]["identifier"]["value"] = "1234567890"


def _not_an_appointment(appointment: Json) -> None:
    appointment["resourceType"] = "Patient"


def _no_document(appointment: Json) -> None:
    """The Booking page: the appointment MUST have two contained resources, the first a DocumentReference."""
    appointment["contained"] = [r for r in appointment["contained"] if r["resourceType"] != "DocumentReference"]
    del appointment["supportingInformation"]


def _no_birth_date(appointment: Json) -> None:
    """The Booking page: the booking's Patient MUST have a birthdate."""
    next(r for r in appointment["contained"] if r["resourceType"] == "Patient").pop("birthDate")


def _another_servers_slot(appointment: Json) -> None:
    appointment["slot"] = [{"reference": f"https://elsewhere.example/STU3/1/{appointment['slot'][0]['reference']}"}]


@pytest.mark.parametrize(
    "spoil",
    [
        _proposed, _no_slot, _with_id, _start_moved, _unknown_slot, _invalid_nhs_number, _not_an_appointment,
        _no_document, _no_birth_date, _another_servers_slot,
    ],
)  # fmt: skip
def test_an_invalid_booking_is_refused_with_an_operation_outcome(
    demo: Demonstrator,
    client: ProviderClient,
    free_slot: Json,
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
    spoil: Callable[[Json], None],
) -> None:
    appointment = booking_for(free_slot)
    spoil(appointment)

    response = client.send(CREATE, "Appointment", body=appointment)

    assert 400 <= response.status < 500
    expect_error(response, response.status)
    assert free_slot["id"] in free_slot_ids(demo)


def test_an_absolute_slot_reference_under_the_provider_base_books_the_slot(
    demo: Demonstrator, client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    """FHIR allows absolute literal references, so the validator and the provider accept them alike."""
    appointment = booking_for(free_slot)
    appointment["slot"] = [{"reference": f"{demo.provider_base_url}/Slot/{free_slot['id']}"}]

    response = client.send(CREATE, "Appointment", body=appointment)

    assert response.status == 201, response.body[:500]
    assert free_slot["id"] not in free_slot_ids(demo)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(status="cancelled"),
        lambda r: r.update(status="entered-in-error"),
        lambda r: r.update(created="2999-01-01T00:00:00+00:00"),
    ],
    ids=["cancelled", "entered-in-error", "created-in-the-future"],
)
def test_what_only_advisory_rules_question_is_accepted(
    demo: Demonstrator,
    client: ProviderClient,
    free_slot: Json,
    booking_for: Callable[[Json], Json],
    change: Callable[[Json], Any],
) -> None:
    """The Booking page allows these; refusing them was a Provider Demonstrator choice, now advisory."""
    appointment = booking_for(free_slot)
    change(appointment)

    response = client.send(CREATE, "Appointment", body=appointment)

    assert response.status == 201, response.body[:500]
    # Only a booked appointment occupies its slot.
    assert (free_slot["id"] in free_slot_ids(demo)) == (appointment["status"] != "booked")


@ROUTES
def test_a_body_that_is_not_fhir_json_is_an_unsupported_media_type(
    client: ProviderClient,
    free_slot: Json,
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
    direct: bool,
) -> None:
    overrides = RequestOverrides(headers={"Content-Type": "text/plain"}, direct=direct)

    response = client.send(CREATE, "Appointment", body=booking_for(free_slot), overrides=overrides)

    expect_error(response, 415)


@ROUTES
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
        pytest.param(b'{"resourceType":"Appointment","minutesDuration":NaN}', id="nan-is-not-json"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-too-deeply"),
        pytest.param(b"[]", id="not-an-object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], body: bytes, direct: bool
) -> None:
    response = client.send(CREATE, "Appointment", body=body, overrides=RequestOverrides(direct=direct))

    expect_error(response, 400)


@ROUTES
def test_a_body_over_one_mebibyte_is_too_large(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], direct: bool
) -> None:
    oversized = b'{"resourceType":"Appointment","description":"' + b"x" * MAX_BODY_BYTES + b'"}'

    response = client.send(CREATE, "Appointment", body=oversized, overrides=RequestOverrides(direct=direct))

    expect_error(response, 413)


# -- search by patient ----------------------------------------------------------------------------
def test_patient_search_finds_the_booked_appointment_with_a_versioned_full_url(
    demo: Demonstrator, client: ProviderClient, booked: Json
) -> None:
    params = [(PATIENT_SEARCH, f"https://fhir.nhs.uk/Id/nhs-number|{NHS_NUMBER}")]

    response = client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params)

    assert response.status == 200
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    entries = {entry["resource"]["id"]: entry for entry in bundle["entry"]}
    assert entries[booked["id"]]["fullUrl"] == f"{demo.provider_base_url}/Appointment/{booked['id']}/_history/1"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param([(PATIENT_SEARCH, NHS_NUMBER)], id="no-system"),
        pytest.param([(PATIENT_SEARCH, f"https://example.org/other|{NHS_NUMBER}")], id="other-system"),
        pytest.param([("patient", NHS_NUMBER)], id="unsupported-parameter"),
    ],
)
def test_a_bad_patient_search_is_a_400_with_an_operation_outcome(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], params: list[tuple[str, str]]
) -> None:
    expect_error(client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params), 400)


# -- read -----------------------------------------------------------------------------------------
def test_read_answers_the_appointment_with_its_version_and_etag(client: ProviderClient, booked: Json) -> None:
    response = client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}")

    assert response.status == 200
    assert response.headers["ETag"] == 'W/"1"'
    body = response.json()
    assert body["id"] == booked["id"]
    assert body["meta"]["versionId"] == "1"


def test_vread_of_version_one_answers_the_first_version(client: ProviderClient, booked: Json) -> None:
    response = client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}/_history/1")

    assert response.status == 200
    assert response.json() == booked


@pytest.mark.parametrize(
    "path",
    [
        "Appointment/no-such-appointment",
        "Appointment/no-such/_history/1",
        "Appointment/no-such/_history/latest",
        "Appointment/no-such/_history/" + "9" * 40,  # longer than any stored (64-bit) version
    ],
)
def test_reading_an_unknown_appointment_is_a_404_with_an_operation_outcome(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], path: str
) -> None:
    expect_error(client.send(Interaction.READ_APPOINTMENT, path), 404)


def test_reading_a_version_that_does_not_exist_is_a_404(
    client: ProviderClient, booked: Json, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    expect_error(client.send(Interaction.READ_APPOINTMENT, f"Appointment/{booked['id']}/_history/2"), 404)
