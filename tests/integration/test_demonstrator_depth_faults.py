"""The interaction-depth fault modes, each a visible deviation at the HTTP level (the companion of
test_demonstrator_faults.py for the faults of the negative matrices, content rules and the 2.x edition)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.booking_defects import anonymous_booking, booking_defect
from spine_conformance.appointments.client import CORRELATION_ID, REQUEST_ID, ProviderClient, RequestOverrides
from spine_conformance.appointments.negative import header_defect, token_defect, token_without_smartcard
from spine_conformance.config.model import PatientConfig, SpecChoices
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.demonstrator.provider.seed import SERVICE_WITHOUT_SLOTS
from spine_conformance.fhir.versioning import if_match_for
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction

Json = dict[str, Any]
NHS = "https://fhir.nhs.uk/Id/nhs-number"
SINCE = "ge2000-01-01T00:00:00+00:00"
# Faults sharing a demonstrator: none hides or changes what another one's test shows.
FIRST = (
    "jwt-unchecked-on-appointments",
    "ssp-headers-unchecked-on-writes",
    "slot-none-404",
    "patient-search-first-only",
    "appointment-meta-profile-dropped",
)
SECOND = (
    "jwt-lifetime-leeway",
    "slot-missing-params-400",
    "schedule-without-service-actor",
    "create-response-drops-comment",
    "cancel-response-drops-description",
    "ssp-forwards-bad-headers",
)
THIRD = (
    "jwt-claim-resources-unchecked",
    "slot-status-ignored",
    "slot-without-identifier",
    "create-invalid-400",
    "cancel-ignores-contained",
)
FOURTH = ("jwt-rejects-unk", "slot-includes-always", "booking-patient-unchecked", "patient-search-nhs-unchecked")
FIFTH = ("jwt-exp-before-iat-accepted", "slot-partial-query-empty")
EDITION_2 = (
    "xreq-reuse-accepted",
    "xreq-no-correlation",
    "xreq-missing-accepted",
    "telecom-rank-unchecked",
    "slot-unknown-params-refused",
)
EDITION_2_BOOKING = ("contained-slot-refused", "nhs-number-required")
GROUPS = {FIRST: "1", SECOND: "1", THIRD: "1", FOURTH: "1", FIFTH: "1", EDITION_2: "2", EDITION_2_BOOKING: "2"}
# The provider faults test_demonstrator_faults.py leaves to this module.
DEPTH_FAULTS = {name for group in GROUPS for name in group} - {"ssp-forwards-bad-headers"}


@dataclass(frozen=True)
class Faulty:
    demo: Demonstrator
    client: ProviderClient

    def slot(self) -> Json:
        return self.demo.store.slots(SERVICE_ID, ["free"], None, None)[0].resource

    def booking(self) -> Json:
        return booking_request(PatientConfig(), self.slot(), "described", self.demo.spec.edition)

    def send(self, interaction: Interaction, path: str, **kwargs: Any) -> HttpResponse:
        return self.client.send(interaction, path, **kwargs)

    def book(self, body: Json | None = None, overrides: RequestOverrides | None = None) -> HttpResponse:
        body = body if body is not None else self.booking()
        return self.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body, overrides=overrides)

    def booked(self) -> tuple[Json, str]:
        answer = self.book()
        assert answer.status == 201, answer.body
        read = self.send(Interaction.READ_APPOINTMENT, f"Appointment/{answer.json()['id']}")
        return read.json(), if_match_for(read.headers.get("etag"), read.json())

    def cancel(self, current: Json, if_match: str) -> HttpResponse:
        path = f"Appointment/{current['id']}"
        return self.send(Interaction.UPDATE_APPOINTMENT, path, body=current, extra_headers={"If-Match": if_match})

    def slots(self, params: list[tuple[str, str]], service: str = SERVICE_ID) -> HttpResponse:
        query = [("schedule.actor:healthcareservice", service), *params]
        return self.send(Interaction.SEARCH_SLOT, "Slot", params=query)

    def patient_search(self, nhs_number: str, *extra: tuple[str, str]) -> HttpResponse:
        params = [(PATIENT_SEARCH_PARAMETER, f"{NHS}|{nhs_number}"), *extra]
        return self.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params)


@pytest.fixture(scope="module")
def faulty() -> Iterator[Callable[[tuple[str, ...]], Faulty]]:
    running: dict[tuple[str, ...], tuple[Demonstrator, HarnessHttp]] = {}

    def get(group: tuple[str, ...]) -> Faulty:
        if group not in running:
            demo = Demonstrator(faults=group, spec=SpecChoices(edition=GROUPS[group])).start()
            running[group] = demo, HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())
        demo, http = running[group]
        return Faulty(demo, ProviderClient(http, demo.config))

    yield get
    for demo, http in running.values():
        http.close()
        demo.stop()


def resources(bundle: Json, kind: str) -> list[Json]:
    return [e["resource"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == kind]


# -- first --------------------------------------------------------------------------------------------
def test_tokens_checked_only_on_metadata_and_slot_search(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FIRST)
    no_token = RequestOverrides(headers={"Authorization": None})
    assert f.send(Interaction.READ_METADATA, "metadata", overrides=no_token).status == 403
    assert f.send(Interaction.READ_APPOINTMENT, "Appointment/unknown-id", overrides=no_token).status == 404


def test_ssp_headers_unchecked_on_writes(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FIRST)
    assert (
        f.send(Interaction.READ_METADATA, "metadata", overrides=header_defect(f.client, "no Ssp-From header")).status
        == 400
    )
    defect = header_defect(f.client, "no Ssp-From header", Interaction.CREATE_APPOINTMENT)
    assert f.book(overrides=defect).status == 201


def test_a_service_without_slots_answers_404(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    assert faulty(FIRST).slots([("status", "free")], SERVICE_WITHOUT_SLOTS).status == 404


def test_patient_search_returns_the_first_appointment_only(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FIRST)
    f.booked(), f.booked()
    assert len(resources(f.patient_search(PatientConfig().nhs_number).json(), "Appointment")) == 1


def test_meta_profile_dropped_on_read(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    current, _ = faulty(FIRST).booked()
    assert "profile" not in current["meta"]


# -- second -------------------------------------------------------------------------------------------
def test_a_token_living_301_seconds_is_accepted(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(SECOND)
    for defect, status in (("a token whose exp is iat + 301", 200), ("a token whose exp is iat + 600", 403)):
        overrides = token_defect(f.client, Interaction.READ_METADATA, defect)
        assert f.send(Interaction.READ_METADATA, "metadata", overrides=overrides).status == status


def test_slot_search_needs_status_and_start(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    assert faulty(SECOND).slots([]).status == 400


def test_schedules_lose_their_service_actor(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    bundle = faulty(SECOND).slots([("status", "free"), ("start", SINCE), ("_include", "Slot:schedule")]).json()
    [schedule] = resources(bundle, "Schedule")
    assert not any(a["reference"].startswith("HealthcareService/") for a in schedule["actor"])


def test_created_and_cancelled_answers_lose_what_was_sent(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(SECOND)
    created = f.book().json()
    assert "description" not in created and "comment" not in created
    current, if_match = f.booked()
    cancelled = f.cancel({**current, "status": "cancelled"}, if_match).json()
    assert "description" not in cancelled


def test_the_ssp_forwards_bad_headers(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(SECOND)
    other = header_defect(f.client, "the interaction ID of another interaction")
    answer = f.send(Interaction.READ_METADATA, "metadata", overrides=RequestOverrides(other.headers, direct=False))
    assert answer.status == 400  # the provider's own refusal: the SSP would have answered 403


# -- third --------------------------------------------------------------------------------------------
def test_requesting_resources_unchecked(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(THIRD)
    overrides = token_defect(f.client, Interaction.READ_METADATA, "a requesting_device that is not a Device")
    assert f.send(Interaction.READ_METADATA, "metadata", overrides=overrides).status == 200
    missing = token_defect(f.client, Interaction.READ_METADATA, "a token without requesting_device")
    assert f.send(Interaction.READ_METADATA, "metadata", overrides=missing).status == 403


def test_slot_status_ignored_and_identifiers_dropped(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    slots = resources(faulty(THIRD).slots([("status", "busy")]).json(), "Slot")
    assert slots and all(s["status"] == "free" and "identifier" not in s for s in slots)


def test_every_invalid_booking_is_a_400(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(THIRD)
    assert f.book({k: v for k, v in f.booking().items() if k != "slot"}).status == 400


def test_cancel_changes_to_contained_resources_accepted(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(THIRD)
    current, if_match = f.booked()
    changed = copy.deepcopy(current)
    changed["contained"][1]["name"] = [{"use": "official", "family": "Changed"}]
    assert f.cancel({**changed, "status": "cancelled"}, if_match).status == 200


# -- fourth -------------------------------------------------------------------------------------------
def test_unk_refused(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FOURTH)
    overrides = token_without_smartcard(f.client, Interaction.READ_METADATA)
    assert f.send(Interaction.READ_METADATA, "metadata", overrides=overrides).status == 403


def test_includes_always(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    bundle = faulty(FOURTH).slots([("status", "free")]).json()
    assert resources(bundle, "Schedule") and resources(bundle, "Location")


def test_patient_details_unchecked(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FOURTH)
    body = booking_defect("a Patient without gender").change(f.booking())
    assert isinstance(body, dict) and f.book(body).status == 201


def test_patient_search_nhs_number_unchecked(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FOURTH)
    assert f.patient_search("9434765918").status == 200
    assert f.patient_search(PatientConfig().nhs_number, ("colour", "blue")).status == 200


# -- fifth --------------------------------------------------------------------------------------------
def test_a_token_whose_exp_is_before_its_iat_is_accepted(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FIFTH)
    for defect, status in (("a token whose exp is before its iat", 200), ("a token whose exp is iat + 301", 403)):
        overrides = token_defect(f.client, Interaction.READ_METADATA, defect)
        assert f.send(Interaction.READ_METADATA, "metadata", overrides=overrides).status == status


def test_a_slot_search_leaving_something_out_finds_nothing(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(FIFTH)
    includes = [("_include", "Slot:schedule")]
    full = f.slots([("status", "free"), ("start", SINCE), *includes]).json()
    assert resources(full, "Slot")
    for partial in (
        [("start", SINCE), *includes],
        [("status", "free"), *includes],
        [("status", "free"), ("start", SINCE)],
    ):
        answer = f.slots(partial)
        assert answer.status == 200 and not resources(answer.json(), "Slot"), partial


# -- the 2.x edition ----------------------------------------------------------------------------------
def test_request_ids_unchecked_and_not_echoed(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(EDITION_2)
    same = RequestOverrides(headers={REQUEST_ID: str(uuid.uuid4())})
    first, second = f.book(overrides=same), f.book(overrides=same)
    assert (first.status, second.status) == (201, 201)
    assert CORRELATION_ID not in first.headers
    assert f.book(overrides=RequestOverrides(headers={REQUEST_ID: None})).status == 201


def test_telecom_ranks_unchecked_and_unknown_parameters_refused(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(EDITION_2)
    body = booking_defect("two rank-1 telecoms").change(f.booking())
    assert isinstance(body, dict) and f.book(body).status == 201
    assert f.slots([("status", "free"), ("colour", "blue")]).status == 400


def test_contained_slot_and_missing_nhs_number_refused(faulty: Callable[[tuple[str, ...]], Faulty]) -> None:
    f = faulty(EDITION_2_BOOKING)
    assert f.book().status == 422
    literal = anonymous_booking(booking_request(PatientConfig(), f.slot(), "described", "1"))
    assert f.book(literal).status == 422
