"""Requirement verdicts (the rules in the module docstring) and the results.json document."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from spine_conformance.paths import validator
from spine_conformance.requirements import Requirement, catalogue
from spine_conformance.results.build import RunInfo, build_results, requirement_verdict
from spine_conformance.results.records import FAILED, NOT_TESTED, PASSED, SKIPPED, ScenarioRecord, scenario_id

REQ = Requirement(
    id="CONC-01",
    title="PUT with a stale If-Match → 409",
    level="MUST",
    source="BK-seed",
    interface="appointments",
    roles=("provider",),
)
DELIBERATE = Requirement(
    id="RTEC-CLI-02",
    title="consumer checks a prescription once",
    level="MUST",
    source="RTEC",
    interface="exemption",
    roles=("consumer",),
    not_tested="needs observation of a consumer over days",
)
FEATURE_FILE = "features/appointments/provider/concurrency.feature"


def finding(requirement: str, actual: str = "HTTP 200") -> dict[str, str]:
    return {"requirement": requirement, "expected": "HTTP 409", "actual": actual, "detail": ""}


def record(
    name: str,
    status: str,
    requirements: list[str] | None = None,
    findings: list[dict[str, str]] | None = None,
    message: str = "",
    error: str = "",
    example: str = "",
) -> ScenarioRecord:
    reqs = ["CONC-01"] if requirements is None else requirements
    return ScenarioRecord(
        id=scenario_id(FEATURE_FILE, name, example),
        feature="Concurrency",
        feature_file=FEATURE_FILE,
        name=name,
        tags=[f"req:{r}" for r in reqs],
        status=status,
        duration_s=0.25,
        message=message or ("failed" if status == FAILED else ""),
        requirements=reqs,
        findings=findings or [],
        error=error,
    )


def verdict(records: list[ScenarioRecord], requirement: Requirement = REQ) -> dict[str, Any]:
    return requirement_verdict(requirement, records)


def test_verdict_carries_the_catalogue_fields() -> None:
    result = verdict([record("stale", PASSED)])
    assert {k: result[k] for k in ("id", "title", "level", "source", "interface")} == {
        "id": "CONC-01",
        "title": REQ.title,
        "level": "MUST",
        "source": "BK-seed",
        "interface": "appointments",
    }


def test_failed_when_a_finding_names_it() -> None:
    failing = record("stale", FAILED, findings=[finding("CONC-01", "HTTP 200 (update accepted)")])
    result = verdict([record("other", PASSED), failing])
    assert result["status"] == "failed"
    assert result["reason"] == "HTTP 200 (update accepted)"
    assert failing.id in result["scenarios"]


def test_failed_when_a_finding_names_it_in_an_untagged_scenario() -> None:
    elsewhere = record("journey", FAILED, requirements=["APPT-CREATE-01"], findings=[finding("CONC-01")])
    result = verdict([elsewhere])
    assert result["status"] == "failed"
    assert result["scenarios"] == [elsewhere.id]


def test_failed_when_a_tagged_scenario_failed_without_findings() -> None:
    unreachable = record("stale", FAILED, error="https://p: connection refused")
    result = verdict([record("other", PASSED), unreachable])
    assert result["status"] == "failed"
    assert result["reason"] == "https://p: connection refused"


def test_failed_without_findings_falls_back_to_the_message() -> None:
    result = verdict([record("stale", FAILED, message="step crashed")])
    assert (result["status"], result["reason"]) == ("failed", "step crashed")


def test_failure_reason_is_capped() -> None:
    result = verdict([record("stale", FAILED, findings=[finding("CONC-01", "x" * 2000)])])
    assert len(result["reason"]) == 500


def test_passed_when_a_tagged_scenario_passed_and_none_failed() -> None:
    one, two = record("stale", PASSED), record("stale again", PASSED)
    result = verdict([one, two])
    assert result["status"] == "passed"
    assert result["reason"] == ""
    assert result["scenarios"] == [one.id, two.id]


def test_skipped_scenarios_do_not_count() -> None:
    skipped = record("deselected", SKIPPED)
    assert verdict([record("stale", PASSED), skipped])["scenarios"] == [record("stale", PASSED).id]
    assert verdict([skipped])["status"] == "not-tested"


def test_blocked_scenario_is_not_tested_naming_the_other_requirement() -> None:
    blocked = record("stale", FAILED, requirements=["CONC-01", "APPT-READ-01"], findings=[finding("APPT-READ-01")])
    result = verdict([blocked])
    assert result["status"] == "not-tested"
    assert "APPT-READ-01" in result["reason"]
    assert "stale" in result["reason"]
    assert "stopped early" in result["reason"]


def test_blocked_scenario_outweighs_a_passing_one() -> None:
    blocked = record("stale", FAILED, requirements=["CONC-01", "APPT-READ-01"], findings=[finding("APPT-READ-01")])
    result = verdict([record("other", PASSED), blocked])
    assert result["status"] == "not-tested"
    assert "APPT-READ-01" in result["reason"]


def test_no_scenario_is_not_tested_with_a_reason() -> None:
    result = verdict([record("unrelated", PASSED, requirements=["SLOT-01"])])
    assert result["status"] == "not-tested"
    assert result["reason"].startswith("no scenario")
    assert result["scenarios"] == []


def test_no_scenario_uses_the_catalogue_not_tested_text() -> None:
    result = verdict([], DELIBERATE)
    assert result["status"] == "not-tested"
    assert result["reason"] == (
        "no scenario verifying it was selected in this run (needs observation of a consumer over days)"
    )


def test_only_not_tested_scenarios_give_their_messages() -> None:
    result = verdict([record("stale", NOT_TESTED, message="no [provider] base_url is configured")])
    assert result["status"] == "not-tested"
    assert result["reason"] == "stale: no [provider] base_url is configured"


def test_not_tested_variant_with_a_passing_sibling_is_partly_not_tested() -> None:
    variant = record("stale (xml)", NOT_TESTED, message="the target offers no XML")
    result = verdict([record("stale", PASSED), variant])
    assert result["status"] == "passed"
    assert result["reason"].startswith("partly not tested")
    assert "stale (xml): the target offers no XML" in result["reason"]


@pytest.mark.parametrize(
    ("records", "status"),
    [
        ([], "not-tested"),
        ([record("a", PASSED)], "passed"),
        ([record("a", NOT_TESTED, message="m")], "not-tested"),
        ([record("a", PASSED), record("b", NOT_TESTED, message="m")], "passed"),
        ([record("a", PASSED), record("b", FAILED, findings=[finding("CONC-01")])], "failed"),
        ([record("a", PASSED), record("b", FAILED)], "failed"),
        ([record("a", PASSED), record("b", FAILED, findings=[finding("SLOT-01")])], "not-tested"),
        ([record("a", SKIPPED)], "not-tested"),
    ],
)
def test_verdict_table(records: list[ScenarioRecord], status: str) -> None:
    result = verdict(records)
    assert result["status"] == status
    if status == "not-tested":
        assert result["reason"]


# -- results.json ----------------------------------------------------------------------------------
RUN = RunInfo(
    target_name="Embedded demonstrator",
    suites=["provider"],
    started="2026-01-01T09:00:00+00:00",
    duration_s=12.34567,
    fingerprint="abc123",
    spec={"slot_conflict_status": 422},
    tags="req:CONC-*",
)


def sample_records() -> list[ScenarioRecord]:
    return [
        record("stale", PASSED),
        record("missing if-match", FAILED, requirements=["CONC-02"], findings=[finding("CONC-02")]),
        record("outline", PASSED, requirements=["SLOT-01"], example="free"),
        record("outline", NOT_TESTED, requirements=["SLOT-01"], example="busy", message="no busy slots"),
        record("deselected", SKIPPED, requirements=["SLOT-02"]),
    ]


def test_build_results_validates_against_the_schema() -> None:
    records = sample_records()
    results = build_results(records, RUN, {records[1].id: f"evidence/{records[1].id}.json"})
    validator("results.schema.json").validate(results)


def test_build_results_with_no_records_validates() -> None:
    results = build_results([], RUN, {})
    validator("results.schema.json").validate(results)
    assert results["summary"] == {"passed": 0, "failed": 0, "skipped": 0, "not_tested": 0}
    assert all(r["status"] == "not-tested" for r in results["requirements"])


def test_schema_rejects_a_broken_document() -> None:
    results = build_results(sample_records(), RUN, {})
    broken = copy.deepcopy(results)
    broken["summary"]["unknown"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator("results.schema.json").validate(broken)
    broken = copy.deepcopy(results)
    broken["requirements"][0]["status"] = "not-tested"
    broken["requirements"][0]["reason"] = ""
    with pytest.raises(jsonschema.ValidationError):
        validator("results.schema.json").validate(broken)


def test_build_results_summary_counts() -> None:
    results = build_results(sample_records(), RUN, {})
    assert results["summary"] == {"passed": 2, "failed": 1, "skipped": 1, "not_tested": 1}
    assert len(results["scenarios"]) == 5


def test_build_results_top_level_fields() -> None:
    results = build_results(sample_records(), RUN, {})
    assert results["tool"]["name"] == "spine-conformance"
    assert results["target"] == {
        "name": "Embedded demonstrator",
        "suites": ["provider"],
        "fingerprint": "abc123",
        "tls_verify": True,
        "spec": {"slot_conflict_status": 422},
    }
    assert results["selection"] == {"tags": "req:CONC-*"}
    assert results["started"] == "2026-01-01T09:00:00+00:00"
    assert results["duration_s"] == 12.346
    assert results["redacted"] is True


def test_build_results_has_one_verdict_per_catalogue_requirement() -> None:
    results = build_results(sample_records(), RUN, {})
    assert [r["id"] for r in results["requirements"]] == list(catalogue())
    by_id = {r["id"]: r for r in results["requirements"]}
    assert by_id["CONC-01"]["status"] == "passed"
    assert by_id["CONC-02"]["status"] == "failed"
    assert by_id["SLOT-01"]["status"] == "passed"
    assert by_id["SLOT-01"]["reason"].startswith("partly not tested")
    assert by_id["SLOT-02"]["status"] == "not-tested"


def test_build_results_scenarios_and_evidence() -> None:
    records = sample_records()
    failed = records[1]
    results = build_results(records, RUN, {failed.id: f"evidence/{failed.id}.json"})
    scenarios = {s["id"]: s for s in results["scenarios"]}
    assert scenarios[failed.id]["evidence"] == [f"evidence/{failed.id}.json"]
    assert scenarios[failed.id]["findings"] == [finding("CONC-02")]
    assert all(s["evidence"] == [] for sid, s in scenarios.items() if sid != failed.id)
    # Outline examples have distinct, stable ids.
    outline = [s["id"] for s in results["scenarios"] if s["name"] == "outline"]
    assert len(set(outline)) == 2
    assert outline == [s["id"] for s in build_results(records, RUN, {})["scenarios"] if s["name"] == "outline"]


def test_build_results_order_does_not_depend_on_input_order() -> None:
    records = sample_records()
    forward = build_results(records, RUN, {})
    backward = build_results(list(reversed(records)), RUN, {})
    assert forward["scenarios"] == backward["scenarios"]
    assert forward["requirements"] == backward["requirements"]
