"""Nightly regression: comparing a run with its baseline."""

from __future__ import annotations

from typing import Any

from spine_conformance.reporting.baseline import Comparison, compare


def results(requirements: dict[str, tuple[str, list[str]]], scenarios: dict[str, str]) -> dict[str, Any]:
    return {
        "started": "2026-11-20T02:30:00+00:00",
        "requirements": [
            {"id": rid, "status": status, "scenarios": ids} for rid, (status, ids) in requirements.items()
        ],
        "scenarios": [{"id": sid, "name": f"scenario {sid}", "status": status} for sid, status in scenarios.items()],
    }


def test_requirement_and_scenario_changes_are_listed() -> None:
    before = results(
        {"A": ("passed", ["s1"]), "B": ("failed", ["s2"]), "C": ("failed", ["s3"]), "D": ("passed", ["s4"])},
        {"s1": "passed", "s2": "failed", "s3": "failed", "s4": "passed"},
    )
    after = results(
        {
            "A": ("failed", ["s1"]),
            "B": ("failed", ["s2", "s5"]),
            "C": ("passed", ["s3"]),
            "D": ("passed", ["s4", "s6"]),
        },
        {"s1": "failed", "s2": "failed", "s3": "passed", "s4": "passed", "s5": "failed", "s6": "passed"},
    )
    comparison = compare(after, before)
    assert comparison.newly_failing == ["A"]
    assert comparison.still_failing == ["B"]
    assert comparison.newly_passing == ["C"]
    assert comparison.scenarios_changed == ["B", "D"]
    assert comparison.newly_failing_scenarios == ["scenario s1", "scenario s5"]


def test_coverage_collapse_is_a_regression() -> None:
    """A requirement the baseline judged and this run did not (not tested, error) is listed and alerts."""
    before = results({"A": ("passed", ["s1"]), "B": ("failed", ["s2"]), "C": ("passed", ["s3"])}, {})
    after = results({"A": ("not-tested", ["s1"]), "B": ("error", ["s2"]), "C": ("passed", ["s3"])}, {})
    comparison = compare(after, before)
    assert comparison.newly_not_tested == ["A"]
    assert comparison.newly_error == ["B"]
    assert comparison.regressed
    assert not compare(before, before).regressed


def test_an_older_baseline_without_a_verdict_still_compares() -> None:
    comparison = compare({**results({}, {}), "verdict": {"status": "PASS"}}, results({}, {}))
    assert (comparison.verdict, comparison.baseline_verdict) == ("PASS", "")


def test_a_comparison_round_trips_through_its_json() -> None:
    comparison = Comparison("t", ["A"], [], ["B"], ["C"], ["scenario 1"], ["D"], ["E"], "FAIL", "PASS")
    stored = comparison.as_dict()
    assert stored["regressed"] is True
    stored.pop("regressed")
    assert Comparison(**stored) == comparison
