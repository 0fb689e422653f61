"""Locust as its own processes: one local process, or a master with local or remote workers.

Each Locust process runs in its own session (process group), so a Ctrl-C at the terminal reaches
the harness alone, and the harness decides how Locust stops: SIGTERM (Locust then quits cleanly
and still writes its reports), then SIGKILL for the whole group after a grace period. A deadline
bounds the run even if Locust never stops by itself. Waiting is event-driven: a thread per process
reports its exit on a queue; nothing polls on a fixed sleep.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from spine_conformance.load.plan import ConsumerPlan, LoadPlan
from spine_conformance.load.wiring import OBSERVATIONS_VARIABLE, PLAN_OPTION, TARGET_VARIABLE, locustfile_path
from spine_conformance.redact import KEY_VARIABLE, run_key

STARTUP_ALLOWANCE_S = 45  # interpreter, Locust and FHIR models importing, on a slow machine
RUN_TIME_BACKSTOP_S = 30  # Locust's own --run-time, beyond the planned duration (the master normally stops first)
STOP_GRACE_S = 75  # a master waits up to 60 s for workers to stop, then writes its reports
TERMINATE_GRACE_S = 15  # after SIGTERM, before SIGKILL
LOCUST_DIR = "locust"


@dataclass(frozen=True)
class LocustSetup:
    workdir: Path  # private to the run: logs and the observations file
    report_dir: Path  # Locust's CSV and HTML reports go to <report_dir>/locust/
    target_path: Path  # the target TOML every local Locust process reads
    plan: LoadPlan
    consumer_plan: ConsumerPlan
    host: str  # shown in Locust's own report
    worker_wait_s: int
    master_bind_host: str = "127.0.0.1"
    master_port: int = 0  # 0: a free port (local runs)
    master_host: str = "127.0.0.1"  # worker mode: where the master is

    @property
    def observations_path(self) -> Path:
        return self.workdir / "observations.jsonl"

    @property
    def main_process(self) -> str:
        return {"worker": "worker"}.get(self.plan.mode, "master" if self.plan.distributed else "locust")

    def deadline_s(self) -> float:
        # A worker may wait for its master, which may itself wait for the other workers.
        waiting = {"worker": 2 * self.worker_wait_s}.get(
            self.plan.mode, self.worker_wait_s if self.plan.distributed else 0
        )
        return self.plan.duration_s + STARTUP_ALLOWANCE_S + waiting + STOP_GRACE_S


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host if host not in ("*", "0.0.0.0") else "127.0.0.1", 0))
        return int(probe.getsockname()[1])


def commands(setup: LocustSetup, port: int) -> dict[str, list[str]]:
    """Name -> argv of every Locust process this machine runs for the run."""
    locust = [sys.executable, "-m", "locust", "-f", str(locustfile_path()), "--loglevel", "WARNING"]
    if setup.plan.mode == "worker":
        return {"worker": [*locust, "--worker", "--master-host", setup.master_host, "--master-port", str(port)]}
    reports = setup.report_dir / LOCUST_DIR
    driver = [
        *locust,
        "--headless",
        "--only-summary",
        "--users",
        str(setup.plan.users),
        "--spawn-rate",
        f"{setup.plan.spawn_rate:g}",
        "--run-time",
        f"{setup.plan.duration_s + RUN_TIME_BACKSTOP_S}s",
        "--stop-timeout",
        "5",
        "--exit-code-on-error",
        "0",  # failures are the harness's to judge; a non-zero exit then means Locust itself went wrong
        "--host",
        setup.host,
        "--csv",
        str(reports / "stats"),
        "--html",
        str(reports / "report.html"),
        PLAN_OPTION,
        setup.consumer_plan.to_json(),
    ]
    if not setup.plan.distributed:
        return {"locust": driver}
    master = [
        *driver,
        "--master",
        "--master-bind-host",
        setup.master_bind_host,
        "--master-bind-port",
        str(port),
        "--expect-workers",
        str(setup.plan.worker_count),
        "--expect-workers-max-wait",
        str(setup.worker_wait_s),
    ]
    worker = [*locust, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)]
    local_workers = {f"worker-{index + 1}": worker for index in range(setup.plan.workers)}
    return {"master": master, **local_workers}


@dataclass
class LocustOutcome:
    exit_codes: dict[str, int | None] = field(default_factory=dict)
    overran: bool = False
    interrupted: bool = False
    logs: dict[str, Path] = field(default_factory=dict)
    port: int = 0

    def problems(self) -> list[str]:
        found = []
        if self.overran:
            found.append("Locust did not stop by the run's deadline and was stopped")
        for name, code in sorted(self.exit_codes.items()):
            if code not in (0, None) and not self.interrupted:
                found.append(f"Locust {name} exited with code {code} (see {LOCUST_DIR}/{name}.log)")
        return found


def environment(setup: LocustSetup) -> dict[str, str]:
    # The run's redaction key, so every local Locust process masks a value as the harness does.
    env = {**os.environ, KEY_VARIABLE: run_key().decode()}
    env[TARGET_VARIABLE] = str(setup.target_path)
    env[OBSERVATIONS_VARIABLE] = str(setup.observations_path)
    return env


def run_locust(setup: LocustSetup) -> LocustOutcome:
    """Start every Locust process, wait for the main one within the deadline, then make sure all have ended."""
    port = setup.master_port or free_port(setup.master_bind_host)
    outcome = LocustOutcome(port=port)
    (setup.report_dir / LOCUST_DIR).mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    exits: queue.Queue[tuple[str, int]] = queue.Queue()
    env = environment(setup)
    try:
        for name, argv in commands(setup, port).items():
            log_path = setup.workdir / f"{name}.log"
            outcome.logs[name] = log_path
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    argv,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            processes[name] = process
            threading.Thread(target=_report_exit, args=(name, process, exits), daemon=True).start()
        _wait_for_main(setup, processes, exits, outcome)
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        _stop_all(setup.main_process, processes, outcome)
    return outcome


def _report_exit(name: str, process: subprocess.Popen[bytes], exits: queue.Queue[tuple[str, int]]) -> None:
    exits.put((name, process.wait()))


def _wait_for_main(
    setup: LocustSetup,
    processes: Mapping[str, subprocess.Popen[bytes]],
    exits: queue.Queue[tuple[str, int]],
    outcome: LocustOutcome,
) -> None:
    deadline = monotonic() + setup.deadline_s()
    while setup.main_process not in outcome.exit_codes:
        remaining = deadline - monotonic()
        if remaining <= 0:
            outcome.overran = True
            return
        try:
            name, code = exits.get(timeout=remaining)
        except queue.Empty:
            continue
        outcome.exit_codes[name] = code


def _stop_all(main: str, processes: Mapping[str, subprocess.Popen[bytes]], outcome: LocustOutcome) -> None:
    """The main process first (a master tells its workers to quit), then whatever is left; SIGKILL last."""
    others = [process for name, process in processes.items() if name != main]
    try:
        if main in processes and processes[main].poll() is None:  # overran, interrupted, or never waited for
            _signal_group(processes[main], signal.SIGTERM)
            _wait(processes[main], TERMINATE_GRACE_S)
        for stage in (None, signal.SIGTERM):  # workers quit when their master does; if not, ask them
            deadline = monotonic() + TERMINATE_GRACE_S
            for process in others:
                if stage is not None and process.poll() is None:
                    _signal_group(process, stage)
            for process in others:
                _wait(process, max(0.0, deadline - monotonic()))
    except KeyboardInterrupt:  # a second Ctrl-C: stop waiting politely
        outcome.interrupted = True
    for name, process in processes.items():
        if process.poll() is None:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        outcome.exit_codes.setdefault(name, process.returncode)


def _wait(process: subprocess.Popen[bytes], timeout_s: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout_s)


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)  # its own session: the group is Locust and anything it started
