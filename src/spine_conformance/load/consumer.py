"""One simulated consumer: the booking journey a real consumer makes, and deliberate races.

The journey: search free slots, book one, read it, search the patient's appointments, cancel it
with If-Match. A configurable share of iterations instead races ``race_size`` bookings of one slot,
or ``race_size`` cancels of one version. Every request is built by the harness's own code
(ProviderClient: SSP URL, Ssp-* headers, a fresh JWT each time) and every answer is judged by the
suites' check functions (:mod:`spine_conformance.load.judging`).

Concurrency is injected (``together`` runs contenders at once, ``pause`` is the think time), so this
module runs under Locust's gevent and in plain unit tests alike.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.requests import cancel, read, search_patient_appointments
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import PatientConfig, TargetConfig
from spine_conformance.fhir.versioning import if_match_for, version_of
from spine_conformance.findings import CheckFailed, Finding
from spine_conformance.http import HttpResponse, TargetUnreachable
from spine_conformance.interactions import Interaction
from spine_conformance.load import judging
from spine_conformance.load.plan import ConsumerPlan
from spine_conformance.load.recorder import Recorder
from spine_conformance.load.requirement_map import ANSWERED, under_load

DESCRIPTION = "Booked by Spine Conformance under load; cancelled when the run ends"
PREEMPTED = "booking_preempted"  # a booking race another consumer won before it started
T = TypeVar("T")
RunTogether = Callable[[int, Callable[[int], Any]], list[Any]]


@dataclass(frozen=True)
class Held:
    """An appointment this consumer holds, and the If-Match to update it with."""

    appointment: dict[str, Any]
    if_match: str

    @property
    def id(self) -> str:
        return str(self.appointment["id"])

    @property
    def version(self) -> str:
        return version_of(self.appointment)


def race_name(interaction: Interaction) -> str:
    return f"{interaction.value} (race)"


class Consumer:
    def __init__(
        self,
        provider: ProviderClient,
        target: TargetConfig,
        patient: PatientConfig,
        plan: ConsumerPlan,
        recorder: Recorder,
        sampler: judging.ValidationSampler,
        together: RunTogether,
        pause: Callable[[float], None],
        rng: random.Random,
    ) -> None:
        self.provider = provider
        self.target = target
        self.patient = patient
        self.plan = plan
        self.recorder = recorder
        self.sampler = sampler
        self.together = together
        self.pause = pause
        self.rng = rng

    # -- what a consumer does --------------------------------------------------------------------

    def act(self) -> None:
        if self.rng.random() < self.plan.race_share:
            if self.rng.random() < 0.5:
                self.race_bookings()
            else:
                self.race_cancels()
        else:
            self.journey()

    def journey(self) -> None:
        held = self.book_a_free_slot()
        if held is None:
            return
        self.think()
        current = self.read(held)
        if current is None:
            return
        self.think()
        self.search_own_appointments(current.id)
        self.think()
        self.cancel(current)

    def race_bookings(self) -> None:
        """``race_size`` bookings of one free slot at once: exactly one may win (CONC-04 under load)."""
        slots = self.search_free_slots()
        if not slots:
            return
        slot = self.rng.choice(slots)
        name = race_name(Interaction.CREATE_APPOINTMENT)
        answers: list[tuple[HttpResponse | None, Held | None]] = self.together(
            self.plan.race_size, lambda _: self._book(slot, name)
        )
        statuses = [response.status for response, _ in answers if response is not None]
        if len(statuses) < len(answers):
            return  # a contender had no answer (LOAD-06 says so); the race itself cannot be judged
        key = f"Slot/{slot['id']}"
        conflict = self.target.spec.slot_conflict_status
        if set(statuses) == {conflict}:
            # Another consumer booked the slot between the search and the race: a fair refusal all round,
            # and no evidence either way about racing bookings. Counted, never judged.
            self.recorder.race(PREEMPTED, key, statuses)
            return
        self.recorder.race("booking", key, statuses)
        winners = [held for _, held in answers if held is not None]
        ids = ", ".join(f"Appointment/{held.id}" for held in winners)
        what = f"racing bookings of {key}" + (f" (booked as {ids})" if ids else "")
        for finding in judging.race_findings(statuses, 201, conflict, "CONC-04", what):
            self.recorder.finding(name, finding)
        if winners:  # the consumer that got the slot goes on as any consumer would; others stay for the audit
            self.think()
            current = self.read(winners[0])
            if current is not None:
                self.cancel(current)

    def race_cancels(self) -> None:
        """``race_size`` cancels of one version at once: exactly one may win (CONC-03 under load)."""
        held = self.book_a_free_slot()
        if held is None:
            return
        current = self.read(held)  # a cancel starts from a GET
        if current is None:
            return
        name = race_name(Interaction.UPDATE_APPOINTMENT)
        answers: list[HttpResponse | None] = self.together(
            self.plan.race_size, lambda _: self._cancel(current, name, judge_losers=False)
        )
        statuses = [response.status for response in answers if response is not None]
        if len(statuses) < len(answers):
            return
        key = f"Appointment/{current.id} version {current.version}"
        self.recorder.race("cancel", key, statuses)
        for finding in judging.race_findings(statuses, 200, 409, "CONC-03", f"racing cancels of {key}"):
            self.recorder.finding(name, finding)

    # -- the steps ---------------------------------------------------------------------------------

    def think(self) -> None:
        if self.plan.think_time_ms:
            self.pause(self.rng.uniform(0, self.plan.think_time_ms / 1000))

    def search_free_slots(self) -> list[dict[str, Any]]:
        window = SlotWindow.ahead(datetime.now(UTC), self.target.provider.slot_window_days)
        query = window.query(self.target.provider.healthcare_service)
        _, slots = self._exchange(
            Interaction.SEARCH_SLOT,
            Interaction.SEARCH_SLOT.value,
            lambda: self.provider.send(Interaction.SEARCH_SLOT, "Slot", params=query),
            lambda answer: judging.free_slots(answer, window, self.provider.base_url),
        )
        return slots or []

    def book_a_free_slot(self) -> Held | None:
        slots = self.search_free_slots()
        if not slots:
            return None
        self.think()
        return self._book(self.rng.choice(slots), Interaction.CREATE_APPOINTMENT.value)[1]

    def _book(self, slot: dict[str, Any], name: str) -> tuple[HttpResponse | None, Held | None]:
        body = booking_request(self.patient, slot, DESCRIPTION, self.target.spec.edition)
        conflict = self.target.spec.slot_conflict_status
        slot_id = str(slot["id"])
        response, appointment = self._exchange(
            Interaction.CREATE_APPOINTMENT,
            name,
            lambda: self.provider.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body),
            lambda answer: judging.booking(answer, self.provider.base_url, slot_id, conflict),
        )
        if response is not None and response.status in (200, 201):
            created = _created_id(response)
            if created:  # whatever else is wrong with it, the provider says it booked: audit it afterwards
                self.recorder.created(created, slot_id)
        if response is None or appointment is None:
            return response, None
        return response, Held(appointment, if_match_for(response.headers.get("etag"), appointment))

    def read(self, held: Held) -> Held | None:
        response, appointment = self._exchange(
            Interaction.READ_APPOINTMENT,
            Interaction.READ_APPOINTMENT.value,
            lambda: read(self.provider, held.id),
            lambda answer: judging.read(answer, held.id),
        )
        if response is None or appointment is None:
            return None
        return Held(appointment, if_match_for(response.headers.get("etag"), appointment))

    def search_own_appointments(self, appointment_id: str) -> None:
        self._exchange(
            Interaction.SEARCH_APPOINTMENT,
            Interaction.SEARCH_APPOINTMENT.value,
            lambda: search_patient_appointments(self.provider, self.patient.nhs_number),
            lambda answer: judging.patient_search(answer, self.provider.base_url, appointment_id),
        )

    def cancel(self, held: Held) -> None:
        self._cancel(held, Interaction.UPDATE_APPOINTMENT.value, judge_losers=True)

    def _cancel(self, held: Held, name: str, judge_losers: bool) -> HttpResponse | None:
        def judge(answer: HttpResponse) -> judging.Judged[dict[str, Any]]:
            if answer.status != 200 and not judge_losers:
                return None, []  # a race's losers are judged together, by the race
            return judging.cancelled(answer, held.id, held.version)

        response, _ = self._exchange(
            Interaction.UPDATE_APPOINTMENT, name, lambda: cancel(self.provider, held.appointment, held.if_match), judge
        )
        if response is not None and response.status == 200:
            self.recorder.cancelled(held.id, held.version, _version_in(response))
        return response

    # -- one request, timed and judged -------------------------------------------------------------

    def _exchange(
        self,
        interaction: Interaction,
        name: str,
        send: Callable[[], HttpResponse],
        judge: Callable[[HttpResponse], judging.Judged[T]],
    ) -> tuple[HttpResponse | None, T | None]:
        method = interaction.spec.method
        started, clock = time.time(), time.perf_counter()
        try:
            response = send()
        except TargetUnreachable as error:
            finding = Finding(ANSWERED, "an answer to every request", str(error))
            self.recorder.request(method, name, None, started, time.perf_counter() - clock, [finding])
            return None, None
        except CheckFailed as failed:  # the transport's own check: a TLS certificate that fails validation
            findings = [under_load(f) for f in failed.findings]
            self.recorder.request(method, name, None, started, time.perf_counter() - clock, findings)
            return None, None
        value, findings = judge(response)
        findings += judging.common_findings(response)
        validated = False
        if self.sampler.wants(name):
            was_validated, invalid = judging.validation_findings(response, name)
            validated, findings = bool(was_validated), findings + invalid
        self.recorder.request(method, name, response, started, response.exchange.elapsed_s, findings, validated)
        return response, value


def _created_id(response: HttpResponse) -> str:
    try:
        body = json.loads(response.body)
    except ValueError:
        return ""
    return str(body.get("id") or "") if isinstance(body, dict) else ""


def _version_in(response: HttpResponse) -> str:
    try:
        body = json.loads(response.body)
    except ValueError:
        return ""
    return version_of(body) if isinstance(body, dict) else ""
