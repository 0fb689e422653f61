"""The demonstrator's depth behaviour: token fault modes, X-Request-ID, the booked slot in either edition and
the 2.x slot query."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.config.model import PatientConfig
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.booked_slot import booked_slot_id, check_2x_booking
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.demonstrator.provider.request_ids import CORRELATION_ID, REQUEST_ID, RequestIds
from spine_conformance.demonstrator.provider.slots import parse_slot_query
from spine_conformance.demonstrator.provider.store import Store
from spine_conformance.demonstrator.provider.token_faults import faulty_token_findings
from spine_conformance.findings import Finding
from spine_conformance.interactions import SLOT_INCLUDES, SLOT_SERVICE_PARAMETER, Interaction

SERVICE = "918999198999"
BASE = "https://demo.example/STU3/1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "provider.sqlite3")
    opened.reset(date(2026, 1, 1))
    yield opened
    opened.close()


# -- token fault modes ------------------------------------------------------------------------------
LIFETIME = Finding("JWT-02", "exp = iat + 300", "exp - iat = 301")
CONTENT = Finding("JWT-05", 'requesting_device.resourceType = "Device"', '"Organization"')
ABSENT = Finding("JWT-05", "requesting_device: a minimal Device resource (JSON object)", "(absent)")


def test_the_clean_provider_keeps_every_finding() -> None:
    findings = [LIFETIME, CONTENT, ABSENT]
    assert faulty_token_findings(findings, None, Interaction.READ_APPOINTMENT, FaultSet()) == findings


def test_token_fault_modes_drop_what_they_do_not_check() -> None:
    lax = FaultSet(["jwt-unchecked-on-appointments"])
    assert faulty_token_findings([ABSENT], None, Interaction.READ_APPOINTMENT, lax) == []
    assert faulty_token_findings([ABSENT], None, Interaction.SEARCH_SLOT, lax) == [ABSENT]
    leeway = FaultSet(["jwt-lifetime-leeway"])
    assert faulty_token_findings([LIFETIME], None, Interaction.READ_METADATA, leeway) == []
    far = Finding("JWT-02", "exp = iat + 300", "exp - iat = 600")
    assert faulty_token_findings([far], None, Interaction.READ_METADATA, leeway) == [far]
    content = FaultSet(["jwt-claim-resources-unchecked"])
    assert faulty_token_findings([CONTENT, ABSENT], None, Interaction.READ_METADATA, content) == [ABSENT]


# -- X-Request-ID -----------------------------------------------------------------------------------
def test_request_ids_are_claimed_once() -> None:
    ids = RequestIds()
    assert ids.claim({"x-request-id": "r1"}, FaultSet()) == "r1"
    with pytest.raises(HttpError) as reused:
        ids.claim({"x-request-id": "r1"}, FaultSet())
    assert reused.value.status == 409
    with pytest.raises(HttpError) as missing:
        ids.claim({}, FaultSet())
    assert missing.value.status == 400
    assert ids.claim({"x-request-id": "r1"}, FaultSet(["xreq-reuse-accepted"])) == "r1"
    assert ids.claim({}, FaultSet(["xreq-missing-accepted"])) == ""


def test_the_answer_carries_the_servers_id_and_echoes_the_clients() -> None:
    headers = RequestIds.answer_headers("client", FaultSet())
    assert headers[CORRELATION_ID] == "client" and headers[REQUEST_ID] != "client"
    assert CORRELATION_ID not in RequestIds.answer_headers("client", FaultSet(["xreq-no-correlation"]))


# -- the booked slot --------------------------------------------------------------------------------
def test_the_booked_slot_literal_or_contained(store: Store) -> None:
    slot = store.slots(SERVICE, ["free"], None, None)[0]
    seed = booking_request(PatientConfig(), slot.resource, "d")
    contained = booking_request(PatientConfig(), slot.resource, "d", edition="2")
    assert booked_slot_id(store, seed, BASE, "1") == slot.id
    assert booked_slot_id(store, contained, BASE, "1") is None  # the seed pages reference the slot literally
    assert booked_slot_id(store, contained, BASE, "2") == slot.id
    renamed = {**contained, "slot": [{"reference": "#s"}]}
    renamed["contained"] = [*contained["contained"][:2], {**contained["contained"][2], "id": "s"}]
    assert booked_slot_id(store, renamed, BASE, "2") == slot.id  # found by its identifier
    unknown = {**renamed, "contained": [*renamed["contained"][:2], {**renamed["contained"][2], "identifier": []}]}
    assert booked_slot_id(store, unknown, BASE, "2") is None


def test_2x_checks_and_their_faults(store: Store) -> None:
    slot = store.slots(SERVICE, ["free"], None, None)[0]
    body = booking_request(PatientConfig(), slot.resource, "d", edition="2")
    check_2x_booking(body, FaultSet())
    with pytest.raises(HttpError) as refused:
        check_2x_booking(body, FaultSet(["contained-slot-refused"]))
    assert refused.value.status == 422
    body["contained"][1]["telecom"][0]["rank"] = 2
    with pytest.raises(HttpError) as ranks:
        check_2x_booking(body, FaultSet())
    assert ranks.value.status == 400
    check_2x_booking(body, FaultSet(["telecom-rank-unchecked"]))


# -- the 2.x slot query -----------------------------------------------------------------------------
QUERY = [(SLOT_SERVICE_PARAMETER, SERVICE), ("status", "free"), ("colour", "blue"), ("_revinclude", "Appointment:slot")]


def test_the_2x_edition_ignores_what_it_does_not_support() -> None:
    query = parse_slot_query(
        [*QUERY, ("_include", "Slot:nonsense"), ("_include:iterate", "HealthcareService:Location")], edition="2"
    )
    assert query.includes == ("HealthcareService.location",)
    with pytest.raises(HttpError):
        parse_slot_query(QUERY, edition="1")
    with pytest.raises(HttpError):
        parse_slot_query(QUERY, FaultSet(["slot-unknown-params-refused"]), edition="2")


def test_slot_fault_modes() -> None:
    base = [(SLOT_SERVICE_PARAMETER, SERVICE)]
    assert parse_slot_query(base).statuses == ("free",)
    with pytest.raises(HttpError):
        parse_slot_query(base, FaultSet(["slot-missing-params-400"]))
    assert parse_slot_query([*base, ("status", "busy")], FaultSet(["slot-status-ignored"])).statuses == ("free",)
    assert parse_slot_query(base, FaultSet(["slot-includes-always"])).includes == SLOT_INCLUDES
