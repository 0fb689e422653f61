"""A simulated consumer against the demonstrator, without Locust: threads stand in for greenlets.

The consumer's behaviour (journey, racing bookings, racing cancels) and its judgement are the same
code Locust runs; here it runs once, in this process, over real TLS through the SSP stand-in.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.race import race
from spine_conformance.config.model import LoadConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import HarnessHttp
from spine_conformance.http.exchange import UnkeptLog
from spine_conformance.load.consumer import Consumer
from spine_conformance.load.judging import ValidationSampler
from spine_conformance.load.observations import Observations, Record
from spine_conformance.load.patients import synthetic_patient
from spine_conformance.load.plan import ConsumerPlan
from spine_conformance.load.recorder import Recorder
from spine_conformance.redact import Redactor


class Collected:
    def __init__(self) -> None:
        self.observations = Observations()
        self.reported: list[tuple[str, str | None]] = []

    def send(self, batch: list[Record]) -> None:
        for record in batch:
            self.observations.add(record)

    def report(self, method: str, name: str, ms: float, length: int, failure: str | None) -> None:
        self.reported.append((name, failure))


def consumer(demonstrator: Demonstrator, collected: Collected, http: HarnessHttp) -> Consumer:
    target = demonstrator.config
    plan = ConsumerPlan.from_config(LoadConfig(think_time_ms=0, validate_share=1.0), duration_s=5)
    recorder = Recorder("test", collected.send, collected.report, Redactor.for_target(target))
    rng = random.Random(7)
    return Consumer(
        ProviderClient(http, target),
        target,
        synthetic_patient(target.patient, rng),
        plan,
        recorder,
        ValidationSampler(plan.validate_share, rng),
        lambda count, send: race(count, send),
        lambda seconds: None,
        rng,
    )


@pytest.fixture
def http(demo: Demonstrator) -> Iterator[HarnessHttp]:
    client = HarnessHttp(demo.config.tls, demo.config.http, UnkeptLog())
    yield client
    client.close()


def test_the_journey_books_reads_finds_and_cancels_and_every_answer_passes(
    demo: Demonstrator, http: HarnessHttp
) -> None:
    collected = Collected()
    subject = consumer(demo, collected, http)
    subject.journey()
    subject.recorder.finish()
    seen = collected.observations
    names = [sample.name for sample in seen.requests]
    assert names == [
        "search_slot",
        "create_appointment",
        "read_appointment",
        "search_appointment",
        "update_appointment",
    ]
    assert all(not sample.failed for sample in seen.requests), seen.findings
    assert len(seen.created) == 1 and len(seen.cancels) == 1
    assert all(failure is None for _, failure in collected.reported)


def test_racing_bookings_and_cancels_have_one_winner_each(demo: Demonstrator, http: HarnessHttp) -> None:
    collected = Collected()
    subject = consumer(demo, collected, http)
    subject.race_bookings()
    subject.race_cancels()
    subject.recorder.finish()
    seen = collected.observations
    assert [race.what for race in seen.races] == ["booking", "cancel"]
    booking, cancel = seen.races
    assert sorted(booking.statuses) == [201, 422, 422, 422]
    assert sorted(cancel.statuses) == [200, 409, 409, 409]
    assert not seen.findings


def test_racing_bookings_against_a_racy_provider_name_the_slot() -> None:
    collected = Collected()
    with Demonstrator(faults=["racy-booking"]) as racy:
        client = HarnessHttp(racy.config.tls, racy.config.http, UnkeptLog())
        try:
            subject = consumer(racy, collected, client)
            subject.race_bookings()
            subject.recorder.finish()
        finally:
            client.close()
    (race_seen,) = collected.observations.races
    assert race_seen.statuses.count(201) > 1
    (finding,) = [f for f in collected.observations.findings if f["requirement"] == "LOAD-01"]
    assert f"in racing bookings of {race_seen.key}" in finding["actual"]
