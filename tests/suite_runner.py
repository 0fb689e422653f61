"""Run ``spine-conformance run`` in a subprocess and read its results (shared by suite tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spine_conformance.config import dump_toml
from spine_conformance.config.model import TargetConfig

RUN_TIMEOUT_S = 600
# The negative matrices (hundreds of scenarios) where a test is about something else: the clean and
# fault-detection runs try them, the rest need not.
NOT_MATRIX = ("--tags", "not matrix")


@dataclass(frozen=True)
class SuiteRun:
    exit_code: int
    output: str
    results: dict[str, Any]

    def requirements_with(self, status: str) -> set[str]:
        return {r["id"] for r in self.results["requirements"] if r["status"] == status}

    def requirements_advised(self) -> set[str]:
        """Requirements some scenario reported an advisory finding on."""
        return {a["requirement"] for s in self.results["scenarios"] for a in s.get("advisories", [])}

    @property
    def verdict(self) -> str:
        return str(self.results.get("verdict", {}).get("status", ""))

    @property
    def failed_scenarios(self) -> list[dict[str, Any]]:
        return [s for s in self.results["scenarios"] if s["status"] == "failed"]


def write_target(config: TargetConfig, directory: Path) -> Path:
    path = directory / "target.toml"
    path.write_text(dump_toml(config), "utf-8")
    return path


def run_suite(report_dir: Path, *args: str) -> SuiteRun:
    completed = subprocess.run(
        [sys.executable, "-m", "spine_conformance", "run", "--report-dir", str(report_dir), *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    output = completed.stdout + completed.stderr
    results_file = report_dir / "results.json"
    results = json.loads(results_file.read_text("utf-8")) if results_file.is_file() else {}
    return SuiteRun(completed.returncode, output, results)


def run_against(config: TargetConfig, directory: Path, *args: str) -> SuiteRun:
    """The suite against the target ``config`` describes (written as TOML into ``directory``)."""
    return run_suite(directory / "report", "--config", str(write_target(config, directory)), *args)
