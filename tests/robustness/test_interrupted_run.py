"""An interrupted run says so: reports written and marked INTERRUPTED, exit 130, nothing left behind.

Observed before: after Ctrl-C, results.json had no marker and `report DIR` rendered "PASS — 97
passed", the scenarios that never ran were "not selected", the running consumer command was
orphaned and a temporary folder holding TLS private keys was left behind.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from spine_conformance.config.model import ConsumerUnderTestConfig, TargetConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import NOT_MATRIX, write_target

DEADLINE_S = 120
TOKEN = re.compile(r"eyj[a-z0-9_-]{10,}\.[a-z0-9_-]{10,}\.")  # matched on lower-cased text
# A consumer that hangs in its first action, after saying who it is.
HANGING_CONSUMER = """
import os, sys, threading
with open(sys.argv[1], "w") as handle:
    handle.write(str(os.getpid()))
threading.Event().wait(120)
"""


def wait_for(condition, seconds: float = DEADLINE_S) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while time.monotonic() < deadline:
        if condition():
            return True
        pause.wait(0.05)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_reports_interrupted_and_leaves_nothing_behind(stop: signal.Signals, tmp_path: Path) -> None:
    script, pid_file = tmp_path / "hanging_consumer.py", tmp_path / "consumer.pid"
    script.write_text(HANGING_CONSUMER)
    temp = tmp_path / "tmp"  # the run's own temporary folder, to see what it leaves there
    temp.mkdir()
    report = tmp_path / "report"
    with Demonstrator() as demonstrator:
        command = f"{sys.executable} {script} {pid_file}"
        config = replace(demonstrator.config, consumer_under_test=ConsumerUnderTestConfig(search_slots=command))
        run = subprocess.Popen(
            [sys.executable, "-m", "spine_conformance", "run", "--config", str(write_target(config, tmp_path)),
             "--suite", "all", *NOT_MATRIX, "--report-dir", str(report)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "TMPDIR": str(temp)},
        )  # fmt: skip
        try:
            assert wait_for(lambda: pid_file.is_file() and pid_file.read_text().strip()), "the consumer never ran"
            consumer_pid = int(pid_file.read_text())
            run.send_signal(stop)
            output, _ = run.communicate(timeout=DEADLINE_S)
        finally:
            if run.poll() is None:
                run.kill()
    assert run.returncode == 130, output
    assert wait_for(lambda: not alive(consumer_pid), 10), "the consumer command outlived the run"
    assert list(temp.iterdir()) == [], "temporary material (TLS keys, consumer state) was left behind"

    results = json.loads((report / "results.json").read_text())
    assert results["interrupted"] is True
    assert results["verdict"]["status"] == "INTERRUPTED"
    never_ran = [s for s in results["scenarios"] if s["message"].startswith("not run: the run was interrupted")]
    assert never_ran, "the scenarios that never ran are named"
    assert "INTERRUPTED" in output
    assert "INTERRUPTED" in (report / "report.html").read_text()

    # Written as it went (allure results included): nothing in clear, even though the run was cut short.
    patient = TargetConfig().patient
    for path in report.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace").lower()
            for value in (patient.nhs_number, patient.family.lower(), patient.birth_date, patient.postcode.lower()):
                assert value not in text, f"{value} in {path.relative_to(report)}"
            assert not TOKEN.search(text), path

    rendered = subprocess.run(
        [sys.executable, "-m", "spine_conformance", "report", str(report)], capture_output=True, text=True, check=False
    )
    assert rendered.returncode == 130, rendered.stdout + rendered.stderr
    assert "INTERRUPTED" in rendered.stdout and "PASS" not in rendered.stdout.split("Report:")[0]


def test_a_run_stops_itself_at_its_max_duration_with_its_reports(tmp_path: Path) -> None:
    """The embedded demonstrator's database (the test patient, many times over) goes with the run."""
    report, temp = tmp_path / "report", tmp_path / "tmp"
    temp.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "spine_conformance", "run", "--suite", "consumer", "--max-duration", "3",
         "--report-dir", str(report)],
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
        env={**os.environ, "TMPDIR": str(temp)},
    )  # fmt: skip
    assert run.returncode == 130, run.stdout + run.stderr
    assert list(temp.iterdir()) == []
    results = json.loads((report / "results.json").read_text())
    assert results["verdict"]["status"] == "INTERRUPTED"
    assert "its --max-duration of 3 s passed" in results["verdict"]["reasons"][0]
