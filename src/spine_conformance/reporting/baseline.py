"""Comparison with an earlier run (nightly regression): what newly fails, newly passes, still fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Comparison:
    baseline_started: str
    newly_failing: list[str] = field(default_factory=list)
    newly_passing: list[str] = field(default_factory=list)
    still_failing: list[str] = field(default_factory=list)
    scenarios_changed: list[str] = field(default_factory=list)
    # Scenario names: a requirement already failing can still gain a failing scenario.
    newly_failing_scenarios: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline_started": self.baseline_started,
            "newly_failing": self.newly_failing,
            "newly_passing": self.newly_passing,
            "still_failing": self.still_failing,
            "scenarios_changed": self.scenarios_changed,
            "newly_failing_scenarios": self.newly_failing_scenarios,
        }


def compare(current: dict[str, Any], baseline: dict[str, Any]) -> Comparison:
    """Requirement by requirement: status changes, and requirements whose set of scenarios changed."""
    before = {r["id"]: r for r in baseline["requirements"]}
    newly_failing: list[str] = []
    newly_passing: list[str] = []
    still_failing: list[str] = []
    changed: list[str] = []
    for requirement in current["requirements"]:
        old = before.get(requirement["id"])
        status, old_status = requirement["status"], (old or {}).get("status")
        if status == "failed":
            (still_failing if old_status == "failed" else newly_failing).append(requirement["id"])
        elif status == "passed" and old_status == "failed":
            newly_passing.append(requirement["id"])
        if old is not None and set(old["scenarios"]) != set(requirement["scenarios"]):
            changed.append(requirement["id"])
    failed_before = {s["id"] for s in baseline["scenarios"] if s["status"] == "failed"}
    newly_failing_scenarios = [
        s["name"] for s in current["scenarios"] if s["status"] == "failed" and s["id"] not in failed_before
    ]
    return Comparison(
        baseline["started"], newly_failing, newly_passing, still_failing, changed, newly_failing_scenarios
    )
