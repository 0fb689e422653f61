"""The Locust entry point: simulated consumers, and their observations sent back to the harness.

Run only inside Locust's own processes (``python -m locust -f <this file>``), never imported by the
harness: Locust monkey-patches the process for gevent. Every Locust process of a run (master,
workers, or the single local process) loads this file:

- workers and the local process run :class:`BookingConsumer` users and record what they see;
- the master (or the local process) appends every batch of observations to the file the harness
  named, and ends the run itself after the planned duration so that every worker's last batch
  arrives before Locust quits (Locust's ``--run-time`` is only the backstop).
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent
from locust import User, constant, events, task
from locust.env import Environment
from locust.rpc.protocol import Message
from locust.runners import MasterRunner, WorkerRunner

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.config import load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.validator import preload_models
from spine_conformance.http import HarnessHttp
from spine_conformance.http.exchange import UnkeptLog
from spine_conformance.load.consumer import Consumer
from spine_conformance.load.judging import ValidationSampler
from spine_conformance.load.observations import MESSAGE_TYPE, WORKERS, Record, append_records
from spine_conformance.load.patients import synthetic_patient
from spine_conformance.load.plan import ConsumerPlan
from spine_conformance.load.recorder import Recorder
from spine_conformance.load.wiring import OBSERVATIONS_VARIABLE, PLAN_OPTION, TARGET_VARIABLE
from spine_conformance.redact import Redactor

FLUSH_INTERVAL_S = 0.5  # small batches, so the last one is small when the run stops
logger = logging.getLogger("spine_conformance.load")


class ProcessState:
    """What one Locust process shares among its users; set up when the test starts."""

    def __init__(self) -> None:
        self.target: TargetConfig | None = None
        self.plan: ConsumerPlan | None = None
        self.recorder: Recorder | None = None
        self.sampler: ValidationSampler | None = None
        self.redactor: Redactor | None = None
        self.rng = random.Random()
        self.flusher: gevent.Greenlet[..., None] | None = None
        self.workers: list[str] = []  # master: the workers that took part


STATE = ProcessState()


@events.init_command_line_parser.add_listener
def add_plan_option(parser: Any, **_: Any) -> None:
    parser.add_argument(PLAN_OPTION, default="", include_in_web_ui=False, help="the run's consumer plan (JSON)")


@events.init.add_listener
def on_init(environment: Environment, **_: Any) -> None:
    # Every request is already recorded, named by its interaction; httpx's own log line would hold the
    # URL, and a patient search URL holds an NHS number.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runner = environment.runner
    if runner is not None and not isinstance(runner, WorkerRunner):
        runner.register_message(MESSAGE_TYPE, write_observations)
    if isinstance(runner, MasterRunner):
        environment.events.spawning_complete.add_listener(lambda **_: record_workers(runner))


def write_observations(environment: Environment, msg: Message, **_: Any) -> None:
    append_records(Path(os.environ[OBSERVATIONS_VARIABLE]), list(msg.data))


@events.test_start.add_listener
def on_test_start(environment: Environment, **_: Any) -> None:
    plan = ConsumerPlan.from_json(getattr(environment.parsed_options, PLAN_OPTION[2:].replace("-", "_")))
    runner = environment.runner
    assert runner is not None
    if not isinstance(runner, WorkerRunner):
        # The harness ends the run after the planned duration; see the module docstring for why.
        gevent.spawn_later(plan.duration_s, end_run, environment)
    if isinstance(runner, MasterRunner):
        return
    target = load_config(os.environ[TARGET_VARIABLE])
    # Before any consumer starts: importing the FHIR models inside the first validation would stall
    # every greenlet of the process at once and show up as a latency spike charged to the provider.
    preload_models()
    process = runner.client_id if isinstance(runner, WorkerRunner) else "local"
    STATE.target, STATE.plan = target, plan
    STATE.redactor = Redactor.for_target(target)
    STATE.sampler = ValidationSampler(plan.validate_share, STATE.rng)
    STATE.recorder = Recorder(process, sender(environment), reporter(environment), STATE.redactor)
    STATE.flusher = gevent.spawn(flush_periodically, STATE.recorder)


def record_workers(runner: MasterRunner) -> None:
    """Which workers took part, so the harness can tell if one of them went quiet."""
    ids = [worker.id for worker in runner.clients.all]
    STATE.workers = ids
    append_records(Path(os.environ[OBSERVATIONS_VARIABLE]), [{"k": WORKERS, "ids": ids}])


@events.test_stop.add_listener
def on_test_stop(environment: Environment, **_: Any) -> None:
    if STATE.flusher is not None:
        STATE.flusher.kill()
        STATE.flusher = None
    if STATE.recorder is not None:
        STATE.recorder.finish()
        STATE.recorder = None


def end_run(environment: Environment) -> None:
    runner = environment.runner
    assert runner is not None
    logger.info("planned duration reached: stopping the consumers")
    runner.stop()  # a master waits here until its workers have stopped (and sent their last batch)
    if isinstance(runner, MasterRunner):
        # stop() forgets each worker as it reports stopped, so quit() alone would tell none of them to quit.
        for worker_id in STATE.workers:
            runner.server.send_to_client(Message("quit", None, worker_id))
    runner.quit()


def sender(environment: Environment) -> Callable[[list[Record]], None]:
    def send(batch: list[Record]) -> None:
        runner = environment.runner
        assert runner is not None
        runner.send_message(MESSAGE_TYPE, batch)

    return send


def reporter(environment: Environment) -> Callable[[str, str, float, int, str | None], None]:
    def report(method: str, name: str, elapsed_ms: float, length: int, failure: str | None) -> None:
        environment.events.request.fire(
            request_type=method,
            name=name,
            response_time=elapsed_ms,
            response_length=length,
            exception=failure,
            context={},
        )

    return report


def flush_periodically(recorder: Recorder) -> None:
    while True:
        gevent.sleep(FLUSH_INTERVAL_S)
        recorder.flush()


def together(count: int, send: Callable[[int], Any]) -> list[Any]:
    """Start ``count`` contenders at once: greenlets spawned together all send before any answer is read."""
    contenders = [gevent.spawn(send, index) for index in range(count)]
    gevent.joinall(contenders, raise_error=True)
    return [contender.value for contender in contenders]


class BookingConsumer(User):
    """A consumer system: the booking journey, with a share of deliberate races (see load.consumer)."""

    wait_time = constant(0)  # the consumer's own think time sits between its steps

    def on_start(self) -> None:
        target, plan, recorder, sampler, redactor = (
            STATE.target,
            STATE.plan,
            STATE.recorder,
            STATE.sampler,
            STATE.redactor,
        )
        assert target and plan and recorder and sampler and redactor, "test_start sets the process up first"
        patient = synthetic_patient(target.patient, STATE.rng) if plan.synthetic_patients else target.patient
        redactor.protect("nhs-number", patient.nhs_number)
        self.http = HarnessHttp(target.tls, target.http, UnkeptLog())
        provider = ProviderClient(self.http, target)
        self.consumer = Consumer(provider, target, patient, plan, recorder, sampler, together, gevent.sleep, STATE.rng)
        self.recorder = recorder

    @task
    def act(self) -> None:
        try:
            self.consumer.act()
        except Exception as error:  # a defect of the harness, not of the target: recorded, never a finding
            self.recorder.harness_error(error)

    def on_stop(self) -> None:
        self.http.close()
