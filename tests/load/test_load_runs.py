"""`spine-conformance load` end to end: Locust processes against the embedded demonstrator.

These are the only tests that start Locust. Each is bounded (the command's own deadline, and a
subprocess timeout here) and independent of the other (its own demonstrator, ports and folders),
so pytest-xdist runs them side by side. Nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spine_conformance.config.model import TargetConfig
from spine_conformance.paths import validator

pytestmark = pytest.mark.load
RUN_TIMEOUT_S = 240
PATIENT_NHS_NUMBER = TargetConfig().patient.nhs_number
SYNTHETIC_NHS_NUMBER = re.compile(r"(?<![0-9])999[0-9]{7}(?![0-9])")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.")


@dataclass(frozen=True)
class LoadRun:
    exit_code: int
    output: str
    results: dict[str, Any]
    directory: Path

    def requirement(self, requirement_id: str) -> dict[str, Any]:
        return next(r for r in self.results["requirements"] if r["id"] == requirement_id)

    def findings(self, requirement_id: str) -> list[dict[str, str]]:
        return [
            finding
            for scenario in self.results["scenarios"]
            for finding in scenario["findings"]
            if finding["requirement"] == requirement_id
        ]


def load(tmp_path: Path, *args: str) -> LoadRun:
    directory = tmp_path / "report"
    scratch = tmp_path / "tmp"  # the run's temporary files land here, so the test can see them removed
    scratch.mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "spine_conformance", "load", "--report-dir", str(directory), *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    results_file = directory / "results.json"
    results = json.loads(results_file.read_text("utf-8")) if results_file.is_file() else {}
    return LoadRun(completed.returncode, completed.stdout + completed.stderr, results, directory)


def test_a_distributed_load_against_the_demonstrator_passes(tmp_path: Path) -> None:
    run = load(tmp_path, "--duration", "15s", "--users", "8", "--spawn-rate", "8", "--workers", "2")
    assert run.exit_code == 0, run.output
    validator("results.schema.json").validate(run.results)
    assert run.results["verdict"]["status"] == "PASS"
    musts = [r for r in run.results["requirements"] if r["in_scope"] and r["normative"]]
    assert {r["status"] for r in musts} == {"passed"}, musts  # LOAD-08 (latency) is advisory: no timing asserted
    section = run.results["load"]
    assert section["workers"] == 2 and len(section["rps_by_process"]) == 2
    assert section["races"].get("booking") and section["races"].get("cancel")
    assert section["audit"]["read_back"] == section["bookings"] > 0
    for name in ("stats_stats.csv", "stats_stats_history.csv", "stats_failures.csv", "report.html", "master.log"):
        assert (run.directory / "locust" / name).is_file(), name
    stats = (run.directory / "locust" / "stats_stats.csv").read_text("utf-8")
    assert "search_appointment" in stats and "https://" not in stats  # requests are named, never by URL
    assert list((tmp_path / "tmp").iterdir()) == [], "the run's temporary files were left behind"
    for path in run.directory.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            assert PATIENT_NHS_NUMBER not in text, path
            assert not SYNTHETIC_NHS_NUMBER.search(text), path
            assert not JWT.search(text), path


def test_a_racy_provider_fails_slot_once_naming_the_double_booked_slot(tmp_path: Path) -> None:
    run = load(tmp_path, "--fault", "racy-booking", "--duration", "8s", "--users", "6", "--spawn-rate", "6")
    assert run.exit_code == 1, run.output
    assert run.results["verdict"]["status"] == "FAIL"
    assert run.requirement("LOAD-01")["status"] == "failed"
    held_twice = [
        f for f in run.findings("LOAD-01") if re.search(r"appointments hold Slot/\S+: Appointment/", f["actual"])
    ]
    raced = [f for f in run.findings("LOAD-01") if "in racing bookings of Slot/" in f["actual"]]
    assert held_twice or raced, run.findings("LOAD-01")
    assert re.search(r"Slot/\S+", run.requirement("LOAD-01")["reason"])
    assert run.requirement("LOAD-03")["status"] == "passed"  # the racy provider loses nothing; it double-books
