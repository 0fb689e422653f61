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
    # Coverage that collapsed is a regression too: requirements the baseline judged and this run did not.
    newly_not_tested: list[str] = field(default_factory=list)
    newly_error: list[str] = field(default_factory=list)
    verdict: str = ""
    baseline_verdict: str = ""

    @property
    def regressed(self) -> bool:
        return bool(self.newly_failing or self.newly_not_tested or self.newly_error or self.newly_failing_scenarios)

    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            ("newly failing", self.newly_failing),
            ("newly not tested", self.newly_not_tested),
            ("newly in error", self.newly_error),
            ("newly passing", self.newly_passing),
            ("still failing", self.still_failing),
            ("scenarios changed", self.scenarios_changed),
            ("newly failing scenarios", self.newly_failing_scenarios),
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline_started": self.baseline_started,
            "newly_failing": self.newly_failing,
            "newly_passing": self.newly_passing,
            "still_failing": self.still_failing,
            "scenarios_changed": self.scenarios_changed,
            "newly_failing_scenarios": self.newly_failing_scenarios,
            "newly_not_tested": self.newly_not_tested,
            "newly_error": self.newly_error,
            "verdict": self.verdict,
            "baseline_verdict": self.baseline_verdict,
            "regressed": self.regressed,
        }


def compare(current: dict[str, Any], baseline: dict[str, Any]) -> Comparison:
    """Requirement by requirement: status changes, and requirements whose set of scenarios changed."""
    before = {r["id"]: r for r in baseline["requirements"]}
    changes: dict[str, list[str]] = {
        key: [] for key in ("failing", "passing", "still", "changed", "not_tested", "error")
    }
    for requirement in current["requirements"]:
        old = before.get(requirement["id"])
        status, old_status = requirement["status"], (old or {}).get("status")
        if status == "failed":
            changes["still" if old_status == "failed" else "failing"].append(requirement["id"])
        elif status == "passed" and old_status == "failed":
            changes["passing"].append(requirement["id"])
        elif status in ("not-tested", "error") and old_status in ("passed", "failed"):
            changes["not_tested" if status == "not-tested" else "error"].append(requirement["id"])
        if old is not None and set(old["scenarios"]) != set(requirement["scenarios"]):
            changes["changed"].append(requirement["id"])
    failed_before = {s["id"] for s in baseline["scenarios"] if s["status"] == "failed"}
    newly_failing_scenarios = [
        s["name"] for s in current["scenarios"] if s["status"] == "failed" and s["id"] not in failed_before
    ]
    return Comparison(
        baseline["started"],
        newly_failing=changes["failing"],
        newly_passing=changes["passing"],
        still_failing=changes["still"],
        scenarios_changed=changes["changed"],
        newly_failing_scenarios=newly_failing_scenarios,
        newly_not_tested=changes["not_tested"],
        newly_error=changes["error"],
        verdict=_verdict(current),
        baseline_verdict=_verdict(baseline),
    )


def _verdict(results: dict[str, Any]) -> str:
    verdict = results.get("verdict")
    return str(verdict.get("status", "")) if isinstance(verdict, dict) else ""
