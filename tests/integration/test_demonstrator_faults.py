"""The demonstrator's fault modes: each one is a visible deviation at the HTTP level.

Every fault registered in ``faults.toml`` is switched on in a demonstrator of its own (or shared
with faults that cannot mask it) and the exchange that shows the deviation is made. That the
fault-free demonstrator conforms is the business of the other integration tests.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest

import spine_conformance
from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.demonstrator.faults import FAULTS
from spine_conformance.fhir import examples, outcome_problems
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction
from spine_conformance.tokens import appointments_claims, bearer, encode_unsigned
from tests.integration.test_demonstrator_depth_faults import DEPTH_FAULTS
from tests.integration.test_demonstrator_rest import REST_LAYER_FAULTS

Json = dict[str, Any]
RACERS = 8
OTHER_SERVICE_ID = "118111118111"
SERVICE = "schedule.actor:healthcareservice"
PATIENT_SEARCH = "Appointment.participant.actor:Patient.identifier"
NHS_NUMBER = "9434765919"
INCLUDES = (
    "Slot:schedule",
    "Schedule:actor:Practitioner",
    "Schedule:actor:PractitionerRole",
    "Schedule:actor:HealthcareService",
    "HealthcareService.providedBy",
    "HealthcareService.location",
)
# Tomorrow 10:00 to 11:00 UTC: five seed slots of each service start inside it.
WINDOW_START = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), clock_time(10, 0), tzinfo=UTC)
WINDOW_END = WINDOW_START + timedelta(hours=1)

# Faults that share a demonstrator: none of them hides or changes what another one's test shows.
SLOT_SEARCH = (
    "slot-window-ignored",
    "slot-bundle-type-collection",
    "slot-duplicate-includes",
    "slot-unrelated-include",
)
BAD_QUERY = ("slot-bad-query-accepted",)
HEADERS = (
    "create-returns-200",
    "create-relative-location",
    "create-no-etag",
    "read-no-etag",
    "cancel-no-last-modified",
    "read-unknown-400",
    "patient-search-fullurl-without-history",
    "slot-missing-include",
)
BOOKING = ("slot-conflict-500", "create-accepts-invalid")
NOT_BUSY = ("slot-not-marked-busy",)
RACY_BOOKING = ("racy-booking",)
READ_AND_CANCEL = (
    "history-not-kept",
    "patient-search-empty",
    "cancel-accepts-changes",
    "cancel-keeps-slot-busy",
)
IF_MATCH_IGNORED = ("if-match-ignored",)
IF_MATCH_OPTIONAL = ("if-match-optional",)
RACY_UPDATE = ("racy-update",)
GUARD = ("ssp-headers-unchecked", "jwt-expiry-unchecked")
ANYTHING_GOES = ("jwt-unchecked", "errors-without-outcome", "validate-accepts-everything")
GROUPS = (
    SLOT_SEARCH,
    BAD_QUERY,
    HEADERS,
    BOOKING,
    NOT_BUSY,
    RACY_BOOKING,
    READ_AND_CANCEL,
    IF_MATCH_IGNORED,
    IF_MATCH_OPTIONAL,
    RACY_UPDATE,
    GUARD,
    ANYTHING_GOES,
)


@dataclass(frozen=True)
class Faulty:
    """A running demonstrator with some faults on, and a spec-conformant consumer of it."""

    demo: Demonstrator
    client: ProviderClient
    http: HarnessHttp

    def free_slot(self, service_id: str = SERVICE_ID) -> Json:
        free = self.demo.store.slots(service_id, ["free"], None, None)
        assert free, "the demonstrator has run out of free slots"
        return free[0].resource

    def is_free(self, slot: Json) -> bool:
        return slot["id"] in {s.id for s in self.demo.store.slots(SERVICE_ID, ["free"], None, None)}

    def book(self, appointment: Json) -> HttpResponse:
        return self.client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=appointment)

    def read(self, path: str) -> HttpResponse:
        return self.client.send(Interaction.READ_APPOINTMENT, path)

    def put(self, appointment: Json, if_match: str | None) -> HttpResponse:
        headers = {"If-Match": if_match} if if_match is not None else {}
        path = f"Appointment/{appointment['id']}"
        return self.client.send(Interaction.UPDATE_APPOINTMENT, path, body=appointment, extra_headers=headers)

    def search_slots(self, params: list[tuple[str, str]], overrides: RequestOverrides | None = None) -> HttpResponse:
        return self.client.send(Interaction.SEARCH_SLOT, "Slot", params=params, overrides=overrides)

    def search_patient(self) -> HttpResponse:
        params = [(PATIENT_SEARCH, f"https://fhir.nhs.uk/Id/nhs-number|{NHS_NUMBER}")]
        return self.client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params)


@pytest.fixture(scope="module")
def demonstrators() -> Iterator[Callable[[tuple[str, ...]], Demonstrator]]:
    """Starts one demonstrator per fault group on first use; all are stopped after the module."""
    running: dict[tuple[str, ...], Demonstrator] = {}

    def get(faults: tuple[str, ...]) -> Demonstrator:
        if faults not in running:
            running[faults] = Demonstrator(faults=faults).start()
        return running[faults]

    yield get
    for demonstrator in running.values():
        demonstrator.stop()


@pytest.fixture
def faulty(demonstrators: Callable[[tuple[str, ...]], Demonstrator]) -> Iterator[Callable[[tuple[str, ...]], Faulty]]:
    """``faulty(GROUP)``: the demonstrator with that group of faults on, and a client for it."""
    clients: list[HarnessHttp] = []

    def make(faults: tuple[str, ...]) -> Faulty:
        demo = demonstrators(faults)
        http = HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())
        clients.append(http)
        return Faulty(demo, ProviderClient(http, demo.config), http)

    yield make
    for http in clients:
        http.close()


def booked(target: Faulty, booking_for: Callable[[Json], Json]) -> Json:
    """A fresh appointment (as the provider answered it) in the target's next free slot."""
    response = target.book(booking_for(target.free_slot()))
    assert response.status in (200, 201), response.body[:500]
    created: Json = response.json()
    return created


def window_query(service: str = SERVICE_ID, days_later: int = 0) -> list[tuple[str, str]]:
    later = timedelta(days=days_later)
    return [
        (SERVICE, service),
        ("status", "free"),
        ("start", f"ge{(WINDOW_START + later).isoformat()}"),
        ("start", f"le{(WINDOW_END + later).isoformat()}"),
    ]


def matches(bundle: Json) -> list[Json]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def included(bundle: Json) -> Counter[tuple[str, str]]:
    return Counter(
        (e["resource"]["resourceType"], e["resource"]["id"])
        for e in bundle.get("entry", [])
        if e["search"]["mode"] == "include"
    )


def race(send: Callable[[], HttpResponse]) -> list[HttpResponse]:
    """``RACERS`` threads released together by a barrier, all sending through one shared client."""
    barrier = threading.Barrier(RACERS)

    def racer() -> HttpResponse:
        barrier.wait()
        return send()

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        futures = [pool.submit(racer) for _ in range(RACERS)]
        return [future.result() for future in futures]


def warmed_race(target: Faulty, send: Callable[[], HttpResponse]) -> list[HttpResponse]:
    """``race(send)`` after racing a harmless request, which leaves open connections (client to SSP,
    SSP to provider) behind, so the real racers need no TLS handshakes and arrive close together."""
    assert all(r.status == 200 for r in race(lambda: target.client.send(Interaction.READ_METADATA, "metadata")))
    return race(send)


def is_operation_outcome(response: HttpResponse) -> bool:
    try:
        return response.media_type == "application/fhir+json" and outcome_problems(response.json()) == []
    except ValueError:
        return False


# -- every registered fault does something --------------------------------------------------------
def test_every_registered_fault_is_switched_on_somewhere_in_the_demonstrator() -> None:
    package = Path(spine_conformance.__file__).parent
    source = "\n".join(path.read_text("utf-8") for path in sorted((package / "demonstrator").rglob("*.py")))

    unused = [name for name in FAULTS if not re.search(rf"""faults\.on\(\s*["']{re.escape(name)}["']""", source)]

    assert unused == [], f"registered faults that no code checks (no-ops): {unused}"


def test_every_demonstrator_fault_is_exercised_by_this_module() -> None:
    grouped = [name for group in GROUPS for name in group]
    demonstrator_faults = {f.name for f in FAULTS.values() if f.component in ("provider", "validator")}
    tested_elsewhere = {"metadata-missing-interactions", "metadata-wrong-fhir-version", "metadata-plain-json"}
    tested_elsewhere |= {"metadata-invalid-resource", "tls-wrong-hostname", "tls-untrusted-ca"}
    tested_elsewhere |= REST_LAYER_FAULTS
    # test_demonstrator_mutual_tls.py: the TLS-level faults (mutual TLS, plain HTTP on the HTTPS port).
    tested_elsewhere |= {"mtls-client-cert-optional", "mtls-expiry-unchecked", "mtls-client-cert-unverified"}
    tested_elsewhere |= {"plain-http-served"}
    tested_elsewhere |= DEPTH_FAULTS  # the interaction-depth faults: test_demonstrator_depth_faults.py

    assert len(grouped) == len(set(grouped)), "a fault is in two groups"
    assert set(grouped) == demonstrator_faults - tested_elsewhere


# -- search:slot ----------------------------------------------------------------------------------
def test_slot_window_ignored_returns_slots_starting_after_the_window(faulty: Callable[..., Faulty]) -> None:
    bundle = faulty(SLOT_SEARCH).search_slots(window_query()).json()

    starts = [datetime.fromisoformat(slot["start"]) for slot in matches(bundle)]
    assert min(starts) >= WINDOW_START
    assert max(starts) > WINDOW_END
    assert bundle["total"] == len(starts) > 5


def test_slot_bundle_type_collection(faulty: Callable[..., Faulty]) -> None:
    response = faulty(SLOT_SEARCH).search_slots(window_query())

    assert response.status == 200
    assert response.json()["resourceType"] == "Bundle"
    assert response.json()["type"] == "collection"


def test_slot_duplicate_includes_puts_each_schedule_in_twice(faulty: Callable[..., Faulty]) -> None:
    bundle = faulty(SLOT_SEARCH).search_slots([*window_query(), ("_include", "Slot:schedule")]).json()

    assert included(bundle) == Counter({("Schedule", "sched1111"): 2})


@pytest.mark.parametrize(
    ("service", "related", "unrelated"),
    [(SERVICE_ID, "loc1111", "loc2222"), (OTHER_SERVICE_ID, "loc2222", "loc1111")],
)
def test_slot_unrelated_include_adds_the_other_services_location(
    faulty: Callable[..., Faulty], service: str, related: str, unrelated: str
) -> None:
    params = window_query(service) + [("_include", include) for include in INCLUDES]

    bundle = faulty(SLOT_SEARCH).search_slots(params).json()

    assert {slot["schedule"]["reference"] for slot in matches(bundle)} == {
        "Schedule/sched1111" if service == SERVICE_ID else "Schedule/sched2222"
    }
    assert included(bundle)[("Location", related)] == 1
    assert included(bundle)[("Location", unrelated)] == 1


def test_slot_missing_include_leaves_out_the_location(faulty: Callable[..., Faulty]) -> None:
    # A day later: other tests on this demonstrator book the earliest slots.
    params = window_query(days_later=1) + [("_include", include) for include in INCLUDES]

    bundle = faulty(HEADERS).search_slots(params).json()

    kinds = {kind for kind, _ in included(bundle)}
    assert "HealthcareService" in kinds
    assert "Location" not in kinds


@pytest.mark.parametrize(
    "params",
    [
        pytest.param([*window_query(), ("colour", "blue")], id="unknown-parameter"),
        pytest.param([(SERVICE, SERVICE_ID), ("status", "bogus")], id="status-bogus"),
        pytest.param([(SERVICE, SERVICE_ID), ("start", "ge2025-13-45T99:00:00+00:00")], id="malformed-start"),
        pytest.param([(SERVICE, SERVICE_ID), ("start", "eq2025-05-01T09:00:00+00:00")], id="start-bad-prefix"),
        pytest.param([*window_query(), ("_include", "Slot:patient")], id="unsupported-include"),
        pytest.param([*window_query(), ("_format", "text/turtle")], id="unsupported-format"),
    ],
)
def test_slot_bad_query_accepted_answers_200(faulty: Callable[..., Faulty], params: list[tuple[str, str]]) -> None:
    response = faulty(BAD_QUERY).search_slots(params)

    assert response.status == 200, response.body[:300]
    bundle = response.json()
    assert bundle["type"] == "searchset"
    assert matches(bundle)


def test_slot_bad_query_accepted_still_needs_the_service(
    faulty: Callable[..., Faulty], expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    expect_error(faulty(BAD_QUERY).search_slots(window_query()[1:]), 400)


# -- create:appointment ---------------------------------------------------------------------------
def test_create_returns_200_relative_location_and_no_etag(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]
) -> None:
    target = faulty(HEADERS)

    response = target.book(booking_for(target.free_slot()))

    assert response.status == 200  # create-returns-200
    body = response.json()
    assert body["resourceType"] == "Appointment"
    assert body["meta"]["versionId"] == "1"
    assert response.headers["Location"] == f"Appointment/{body['id']}/_history/1"  # create-relative-location
    assert "ETag" not in response.headers  # create-no-etag
    assert "Last-Modified" in response.headers


def test_slot_conflict_500_answers_a_server_error_with_an_outcome(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(BOOKING)
    slot = target.free_slot()
    assert target.book(booking_for(slot)).status == 201

    body = expect_error(target.book(booking_for(slot)), 500)

    assert body["issue"][0]["diagnostics"] == "Slot no longer available"


def _proposed_without_description(appointment: Json) -> None:
    appointment["status"] = "proposed"
    del appointment["description"]


def _invalid_nhs_number(appointment: Json) -> None:
    appointment["participant"][0]["actor"]["identifier"]["value"] = "1234567890"


def _consumer_chosen_id_and_moved_start(appointment: Json) -> None:
    appointment["id"] = "chosen-by-the-consumer"
    appointment["start"] = "2030-01-01T09:00:00+00:00"


def _no_status(appointment: Json) -> None:
    del appointment["status"]


@pytest.mark.parametrize(
    "spoil", [_proposed_without_description, _invalid_nhs_number, _consumer_chosen_id_and_moved_start, _no_status]
)
def test_create_accepts_invalid_books_an_invalid_appointment(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json], spoil: Callable[[Json], None]
) -> None:
    target = faulty(BOOKING)
    slot = target.free_slot()
    appointment = booking_for(slot)
    spoil(appointment)

    response = target.book(appointment)

    assert response.status == 201, response.body[:500]
    assert not target.is_free(slot)


@pytest.mark.parametrize("slot_reference", [None, "Slot/no-such-slot"], ids=["no-slot", "unknown-slot"])
def test_create_accepts_invalid_still_needs_a_resolvable_slot(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
    slot_reference: str | None,
) -> None:
    target = faulty(BOOKING)
    appointment = booking_for(target.free_slot())
    if slot_reference is None:
        del appointment["slot"]
    else:
        appointment["slot"] = [{"reference": slot_reference}]

    expect_error(target.book(appointment), 422)


def test_slot_not_marked_busy_lets_a_slot_be_booked_twice(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]
) -> None:
    target = faulty(NOT_BUSY)
    slot = target.free_slot()

    first = target.book(booking_for(slot))

    assert first.status == 201
    assert target.is_free(slot)
    offered = matches(target.search_slots([(SERVICE, SERVICE_ID), ("status", "free")]).json())
    assert slot["id"] in {s["id"] for s in offered}
    assert target.book(booking_for(slot)).status == 201


def test_racy_booking_lets_concurrent_bookings_of_one_slot_all_win(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]
) -> None:
    target = faulty(RACY_BOOKING)
    slot = target.free_slot()
    appointment = booking_for(slot)

    statuses = Counter(r.status for r in warmed_race(target, lambda: target.book(appointment)))

    assert statuses[201] > 1, statuses
    assert set(statuses) <= {201, 422}
    assert not target.is_free(slot)


def test_racy_booking_still_refuses_a_sequential_booking_of_a_taken_slot(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(RACY_BOOKING)
    slot = target.free_slot()
    assert target.book(booking_for(slot)).status == 201

    body = expect_error(target.book(booking_for(slot)), 422)  # spec.slot_conflict_status

    assert body["issue"][0]["diagnostics"] == "Slot no longer available"


# -- read and search:appointment ------------------------------------------------------------------
def test_read_no_etag_on_read_and_vread(faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]) -> None:
    target = faulty(HEADERS)
    appointment = booked(target, booking_for)

    for path in (f"Appointment/{appointment['id']}", f"Appointment/{appointment['id']}/_history/1"):
        response = target.read(path)
        assert response.status == 200
        assert response.json()["meta"]["versionId"] == "1"
        assert "ETag" not in response.headers


@pytest.mark.parametrize("path", ["Appointment/no-such-appointment", "Appointment/no-such/_history/1"])
def test_read_unknown_400(
    faulty: Callable[..., Faulty], expect_error: Callable[[HttpResponse, int], Json], path: str
) -> None:
    expect_error(faulty(HEADERS).read(path), 400)


def test_history_not_kept_loses_the_booked_version_on_cancel(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(READ_AND_CANCEL)
    appointment = booked(target, booking_for)
    assert target.put({**appointment, "status": "cancelled"}, 'W/"1"').status == 200

    expect_error(target.read(f"Appointment/{appointment['id']}/_history/1"), 404)
    assert target.read(f"Appointment/{appointment['id']}/_history/2").status == 200


def test_patient_search_fullurl_without_history(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]
) -> None:
    target = faulty(HEADERS)
    appointment = booked(target, booking_for)

    bundle = target.search_patient().json()

    entries = {entry["resource"]["id"]: entry for entry in bundle["entry"]}
    assert entries[appointment["id"]]["fullUrl"] == f"{target.demo.provider_base_url}/Appointment/{appointment['id']}"


def test_patient_search_empty_finds_nothing(faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]) -> None:
    target = faulty(READ_AND_CANCEL)
    appointment = booked(target, booking_for)
    assert target.read(f"Appointment/{appointment['id']}").status == 200

    response = target.search_patient()

    assert response.status == 200
    bundle = response.json()
    assert (bundle["type"], bundle["total"], bundle.get("entry", [])) == ("searchset", 0, [])


# -- update:appointment (cancel) ------------------------------------------------------------------
def test_cancel_no_last_modified(faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]) -> None:
    target = faulty(HEADERS)
    appointment = booked(target, booking_for)

    response = target.put({**appointment, "status": "cancelled"}, 'W/"1"')

    assert response.status == 200
    assert response.json()["meta"]["versionId"] == "2"
    assert "Last-Modified" not in response.headers


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"description": "Something else entirely"}, id="description"),
        pytest.param({"start": "2030-01-01T09:00:00+00:00"}, id="start"),
        pytest.param({"participant": []}, id="participant"),
    ],
)
def test_cancel_accepts_changes(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json], change: Json
) -> None:
    target = faulty(READ_AND_CANCEL)
    appointment = booked(target, booking_for)

    response = target.put({**appointment, "status": "cancelled", **change}, 'W/"1"')

    assert response.status == 200, response.body[:500]
    stored = target.read(f"Appointment/{appointment['id']}").json()
    assert stored["status"] == "cancelled"
    assert {key: stored[key] for key in change} == change


def test_cancel_keeps_slot_busy(faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]) -> None:
    target = faulty(READ_AND_CANCEL)
    slot = target.free_slot()
    response = target.book(booking_for(slot))
    assert response.status == 201

    assert target.put({**response.json(), "status": "cancelled"}, 'W/"1"').status == 200

    assert not target.is_free(slot)


def test_if_match_ignored_accepts_a_stale_version(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(IF_MATCH_IGNORED)
    cancelled = {**booked(target, booking_for), "status": "cancelled"}
    assert target.put(cancelled, 'W/"1"').status == 200

    stale = target.put(cancelled, 'W/"1"')

    assert stale.status == 200
    assert stale.json()["meta"]["versionId"] == "3"
    expect_error(target.put(cancelled, None), 412)


def test_if_match_optional_accepts_a_put_without_if_match(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(IF_MATCH_OPTIONAL)
    cancelled = {**booked(target, booking_for), "status": "cancelled"}

    response = target.put(cancelled, None)

    assert response.status == 200
    assert response.json()["meta"]["versionId"] == "2"
    expect_error(target.put(cancelled, 'W/"1"'), 409)


def test_racy_update_lets_concurrent_updates_of_one_version_all_win(
    faulty: Callable[..., Faulty], booking_for: Callable[[Json], Json]
) -> None:
    target = faulty(RACY_UPDATE)
    cancelled = {**booked(target, booking_for), "status": "cancelled"}

    statuses = Counter(r.status for r in warmed_race(target, lambda: target.put(cancelled, 'W/"1"')))

    assert statuses[200] > 1, statuses
    assert set(statuses) <= {200, 409}
    latest = target.read(f"Appointment/{cancelled['id']}").json()
    assert latest["meta"]["versionId"] == str(1 + statuses[200])  # every winner wrote a version


def test_racy_update_still_refuses_a_sequential_stale_version(
    faulty: Callable[..., Faulty],
    booking_for: Callable[[Json], Json],
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    target = faulty(RACY_UPDATE)
    cancelled = {**booked(target, booking_for), "status": "cancelled"}
    assert target.put(cancelled, 'W/"1"').status == 200

    expect_error(target.put(cancelled, 'W/"1"'), 409)
    expect_error(target.put(cancelled, None), 412)


# -- errors, SSP headers, tokens ------------------------------------------------------------------
@pytest.mark.parametrize("direct", [False, True], ids=["via-ssp", "direct"])
def test_errors_without_outcome_are_plain_text_with_the_same_status(
    faulty: Callable[..., Faulty], direct: bool
) -> None:
    target = faulty(ANYTHING_GOES)
    overrides = RequestOverrides(direct=direct)

    responses = {
        404: target.client.send(Interaction.READ_APPOINTMENT, "Appointment/no-such", overrides=overrides),
        400: target.search_slots([*window_query(), ("colour", "blue")], overrides),
        412: target.client.send(
            Interaction.UPDATE_APPOINTMENT,
            "Appointment/no-such",
            body={"resourceType": "Appointment", "id": "no-such", "status": "cancelled"},
            overrides=overrides,
        ),
    }

    for status, response in responses.items():
        assert response.status == status
        assert response.media_type == "text/plain"
        assert not is_operation_outcome(response)


def search_directly(target: Faulty, headers: dict[str, str | None]) -> HttpResponse:
    return target.search_slots(window_query(), RequestOverrides(headers=headers, direct=True))


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Ssp-TraceID": None, "Ssp-From": None, "Ssp-To": None, "Ssp-InteractionID": None}, id="none"),
        pytest.param({"Ssp-TraceID": "not-a-uuid"}, id="trace-id-not-a-uuid"),
        pytest.param({"Ssp-From": "ABC"}, id="from-not-an-asid"),
        pytest.param({"Ssp-To": "999999999999"}, id="to-another-provider"),
        pytest.param({"Ssp-InteractionID": Interaction.READ_APPOINTMENT.interaction_id()}, id="wrong-interaction"),
    ],
)
def test_ssp_headers_unchecked_serves_requests_with_bad_headers(
    faulty: Callable[..., Faulty], headers: dict[str, str | None]
) -> None:
    response = search_directly(faulty(GUARD), headers)

    assert response.status == 200, response.body[:300]
    assert response.json()["type"] == "searchset"


def claims_with(target: Faulty, **changes: Any) -> str:
    claims = appointments_claims(target.client.target.consumer, target.client.base_url, Interaction.SEARCH_SLOT)
    claims.update(changes)
    return bearer(encode_unsigned(claims))


def an_hour_ago(target: Faulty) -> str:
    issued = int(time.time()) - 3600
    return claims_with(target, iat=issued, exp=issued + 300)


def lives_ten_minutes(target: Faulty) -> str:
    issued = int(time.time())
    return claims_with(target, iat=issued, exp=issued + 600)


def expired_a_minute_ago(target: Faulty) -> str:
    issued = int(time.time()) - 360
    return claims_with(target, iat=issued, exp=issued + 300)


@pytest.mark.parametrize("authorization", [an_hour_ago, lives_ten_minutes, expired_a_minute_ago])
def test_jwt_expiry_unchecked_accepts_expired_tokens(
    faulty: Callable[..., Faulty], authorization: Callable[[Faulty], str]
) -> None:
    target = faulty(GUARD)

    response = target.search_slots(window_query(), RequestOverrides(headers={"Authorization": authorization(target)}))

    assert response.status == 200, response.body[:300]


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(lambda t: claims_with(t, aud="https://elsewhere.example/STU3/1"), id="wrong-audience"),
        pytest.param(lambda t: claims_with(t, reason_for_request="secondaryuses"), id="wrong-reason"),
        pytest.param(lambda t: claims_with(t, iat=int(time.time()) + 3600), id="iat-in-the-future"),
        pytest.param(lambda t: claims_with(t, exp="soon"), id="exp-not-a-number"),
        pytest.param(lambda t: "Bearer not.a.jwt", id="malformed"),
        pytest.param(lambda t: "", id="missing"),
    ],
)
def test_jwt_expiry_unchecked_still_checks_everything_else(
    faulty: Callable[..., Faulty],
    expect_error: Callable[[HttpResponse, int], Json],
    authorization: Callable[[Faulty], str],
) -> None:
    target = faulty(GUARD)
    value = authorization(target) or None

    response = target.search_slots(window_query(), RequestOverrides(headers={"Authorization": value}))

    expect_error(response, 403)  # spec.token_error_status


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer not.a.jwt", id="malformed"),
        pytest.param("Basic dXNlcjpwYXNz", id="not-bearer"),
    ],
)
def test_jwt_unchecked_accepts_any_authorization(faulty: Callable[..., Faulty], authorization: str | None) -> None:
    target = faulty(ANYTHING_GOES)

    response = target.search_slots(window_query(), RequestOverrides(headers={"Authorization": authorization}))

    assert response.status == 200
    assert response.json()["type"] == "searchset"


# -- $validate ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("resource_type", "content"),
    [
        pytest.param("Appointment", json.dumps({**examples.booking_appointment(), "status": "nonsense"}), id="invalid"),
        pytest.param("Patient", json.dumps(examples.booking_appointment()), id="wrong-type"),
        pytest.param("Appointment", "{not json", id="not-json"),
    ],
)
def test_validate_accepts_everything(faulty: Callable[..., Faulty], resource_type: str, content: str) -> None:
    target = faulty(ANYTHING_GOES)
    url = f"{target.demo.validate_base_url}/{resource_type}/$validate"

    response = target.http.send(
        "POST", url, headers={"Content-Type": "application/fhir+json"}, content=content.encode()
    )

    assert response.status == 200
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert [(issue["severity"], issue["diagnostics"]) for issue in body["issue"]] == [
        ("information", "No issues detected")
    ]
