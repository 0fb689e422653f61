"""Requirement verdicts, the run's verdict and the results.json document (results.build, results.verdict)."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from spine_conformance.paths import validator
from spine_conformance.requirements import Requirement, Source, catalogue
from spine_conformance.results.build import RunInfo, build_results
from spine_conformance.results.records import (
    ERROR,
    FAILED,
    NOT_RUN,
    NOT_TESTED,
    PASSED,
    SKIPPED,
    ScenarioRecord,
    scenario_id,
)
from spine_conformance.results.verdict import Scope, headline_errors, requirement_verdict, run_verdict

SOURCE = (Source("NHS Booking API — Cancel", "https://example.org/cancel.md", "v1"),)
REQ = Requirement(
    id="CONC-01",
    title="PUT with a stale If-Match → 409",
    level="MUST",
    source="BK-seed",
    interface="appointments",
    roles=("provider",),
    sources=SOURCE,
)
DELIBERATE = Requirement(
    id="RTEC-CLI-02",
    title="consumer checks a prescription once",
    level="MUST",
    source="RTEC",
    interface="exemption",
    roles=("consumer",),
    not_tested="needs observation of a consumer over days",
    sources=SOURCE,
)
FEATURE_FILE = "features/appointments/provider/concurrency.feature"
PROVIDER = Scope(("provider",))


def finding(requirement: str, actual: str = "HTTP 200", severity: str = "error") -> dict[str, str]:
    return {"requirement": requirement, "expected": "HTTP 409", "actual": actual, "detail": "", "severity": severity}


def record(
    name: str,
    status: str,
    requirements: list[str] | None = None,
    findings: list[dict[str, str]] | None = None,
    message: str = "",
    example: str = "",
    evaluated: list[str] | None = None,
    cause: str = "",
    advisories: list[dict[str, str]] | None = None,
) -> ScenarioRecord:
    reqs = ["CONC-01"] if requirements is None else requirements
    # By default a passing scenario judged everything it is tagged with; others judged nothing.
    judged = evaluated if evaluated is not None else (reqs if status == PASSED else [])
    return ScenarioRecord(
        id=scenario_id(FEATURE_FILE, name, example),
        feature="Concurrency",
        feature_file=FEATURE_FILE,
        name=name,
        tags=[f"req:{r}" for r in reqs],
        status=status,
        duration_s=0.25,
        message=message or ("failed" if status in (FAILED, ERROR) else ""),
        requirements=reqs,
        findings=findings or [],
        error=cause,
        cause=cause,
        evaluated=judged + [f["requirement"] for f in findings or []],
        advisories=advisories or [],
    )


def verdict(records: list[ScenarioRecord], requirement: Requirement = REQ, scope: Scope = PROVIDER) -> dict[str, Any]:
    return requirement_verdict(requirement, records, scope)


# -- one requirement -----------------------------------------------------------------------------
def test_verdict_carries_the_catalogue_fields() -> None:
    result = verdict([record("stale", PASSED)])
    assert {k: result[k] for k in ("id", "title", "level", "source", "interface", "role", "in_scope")} == {
        "id": "CONC-01",
        "title": REQ.title,
        "level": "MUST",
        "source": "BK-seed",
        "interface": "appointments",
        "role": "provider",
        "in_scope": True,
    }
    assert result["sources"] == [
        {"title": "NHS Booking API — Cancel", "url": "https://example.org/cancel.md", "version": "v1", "section": ""}
    ]


def test_failed_when_a_finding_names_it() -> None:
    failing = record("stale", FAILED, findings=[finding("CONC-01", "HTTP 200 (update accepted)")])
    result = verdict([record("other", PASSED), failing])
    assert (result["status"], result["reason"]) == ("failed", "HTTP 200 (update accepted)")
    assert failing.id in result["scenarios"]


def test_failed_when_a_finding_names_it_in_an_untagged_scenario() -> None:
    elsewhere = record("journey", FAILED, requirements=["APPT-CREATE-01"], findings=[finding("CONC-01")])
    result = verdict([elsewhere])
    assert result["status"] == "failed"
    assert result["scenarios"] == [elsewhere.id]


def test_failure_reason_is_capped() -> None:
    result = verdict([record("stale", FAILED, findings=[finding("CONC-01", "x" * 2000)])])
    assert len(result["reason"]) <= 600


def test_passed_when_a_scenario_judged_it_and_none_failed() -> None:
    one, two = record("stale", PASSED), record("stale again", PASSED)
    result = verdict([one, two])
    assert (result["status"], result["reason"]) == ("passed", "")
    assert result["scenarios"] == [one.id, two.id]


def test_a_failure_of_another_requirement_does_not_unpass_it() -> None:
    """Observed: ERR-01 with 44 passing scenarios was shown as not tested after one unrelated failure."""
    passing = [record(f"refused {i}", PASSED, requirements=["ERR-01", "SLOT-04"]) for i in range(44)]
    blocked = record("bad query", FAILED, requirements=["ERR-01", "SLOT-04"], findings=[finding("SLOT-04")])
    err = catalogue()["ERR-01"]
    result = verdict([*passing, blocked], err)
    assert result["status"] == "passed"
    assert "bad query: it stopped early on a failure of SLOT-04" in result["reason"]


def test_one_validity_failure_leaves_header_and_token_requirements_passed_elsewhere() -> None:
    """Observed: one VAL-01 failure made 12 header and JWT requirements not tested."""
    tags = ["VAL-01", "HTTP-01", "JWT-08"]
    passing = record("metadata", PASSED, requirements=tags)
    failing = record("booking", FAILED, requirements=tags, findings=[finding("VAL-01")], evaluated=["HTTP-01"])
    statuses = {rid: verdict([passing, failing], catalogue()[rid])["status"] for rid in tags}
    assert statuses == {"VAL-01": "failed", "HTTP-01": "passed", "JWT-08": "passed"}


def test_only_a_blocked_scenario_is_not_tested_naming_the_other_requirement() -> None:
    blocked = record("stale", FAILED, requirements=["CONC-01", "APPT-READ-01"], findings=[finding("APPT-READ-01")])
    result = verdict([blocked])
    assert result["status"] == "not-tested"
    assert "stale: it stopped early on a failure of APPT-READ-01" in result["reason"]


def test_a_passing_scenario_that_never_judged_a_tagged_requirement_is_no_evidence() -> None:
    silent = record("mis-tagged", PASSED, evaluated=[])
    result = verdict([silent])
    assert result["status"] == "not-tested"
    assert "its checks never reached it" in result["reason"]


def test_errors_make_it_an_error_with_the_cause_unless_something_judged_it() -> None:
    down = record("stale", ERROR, cause="https://p:443: connection refused")
    result = verdict([down, record("stale 2", ERROR, cause="https://p:443: connection refused")])
    assert result["status"] == "error"
    assert result["reason"] == "could not be judged: https://p:443: connection refused (2 scenarios)"
    assert verdict([record("other", PASSED), down])["status"] == "passed"


def test_skipped_scenarios_do_not_count() -> None:
    skipped = record("deselected", SKIPPED)
    assert verdict([record("stale", PASSED), skipped])["scenarios"] == [record("stale", PASSED).id]
    assert verdict([skipped])["status"] == "not-tested"


def test_no_scenario_is_not_tested_with_a_reason() -> None:
    result = verdict([record("unrelated", PASSED, requirements=["SLOT-01"])])
    assert result["status"] == "not-tested"
    assert result["reason"].startswith("no scenario")
    assert result["scenarios"] == []


def test_no_scenario_uses_the_catalogue_not_tested_text() -> None:
    result = verdict([], DELIBERATE, Scope(("consumer",)))
    assert (
        result["reason"]
        == "no scenario verifying it was selected in this run (needs observation of a consumer over days)"
    )


def test_out_of_scope_requirements_say_which_suite_verifies_them() -> None:
    result = verdict([], DELIBERATE, PROVIDER)
    assert result["in_scope"] is False
    assert result["reason"] == "not in scope: a consumer requirement, verified by the consumer suite"


def test_a_tag_selection_narrows_the_scope() -> None:
    scope = Scope(("provider",), selected=frozenset({"SLOT-01"}))
    assert verdict([], REQ, scope)["reason"] == "not in scope: no scenario verifying it was selected by --tags"


def test_an_assurance_profiles_rule_is_in_scope_only_when_selected() -> None:
    pack = Requirement(**{**REQ.__dict__, "id": "GPC-HTTP-01", "profile": "gp-connect"})
    assert verdict([], pack)["in_scope"] is False
    assert verdict([], pack, Scope(("provider",), profiles=frozenset({"gp-connect"})))["in_scope"] is True


def test_not_tested_scenarios_give_their_messages() -> None:
    result = verdict([record("stale", NOT_TESTED, message="no [provider] base_url is configured")])
    assert (result["status"], result["reason"]) == ("not-tested", "stale: no [provider] base_url is configured")


def test_not_tested_variant_with_a_passing_sibling_is_partly_not_judged() -> None:
    variant = record("stale (xml)", NOT_TESTED, message="the target offers no XML")
    result = verdict([record("stale", PASSED), variant])
    assert result["status"] == "passed"
    assert result["reason"] == "partly not judged: stale (xml): the target offers no XML"


def test_advisories_are_listed_and_never_fail() -> None:
    advisory = finding("CONC-01", "same trace id twice", severity="advisory")
    result = verdict([record("stale", PASSED, advisories=[advisory])])
    assert result["status"] == "passed"
    assert result["advisories"] == [advisory]


# -- the run ---------------------------------------------------------------------------------------
def requirement_row(rid: str, status: str, *, normative: bool = True, in_scope: bool = True) -> dict[str, Any]:
    return {"id": rid, "status": status, "normative": normative, "in_scope": in_scope, "level": "MUST"}


@pytest.mark.parametrize(
    ("rows", "records", "interrupted", "expected"),
    [
        ([requirement_row("A", "passed")], [], False, ("PASS", 0)),
        ([requirement_row("A", "passed"), requirement_row("B", "failed")], [], False, ("FAIL", 1)),
        ([requirement_row("A", "passed"), requirement_row("B", "not-tested")], [], False, ("INCOMPLETE", 3)),
        ([requirement_row("A", "passed"), requirement_row("B", "error")], [], False, ("INCOMPLETE", 3)),
        ([requirement_row("A", "passed"), requirement_row("S", "not-tested", normative=False)], [], False, ("PASS", 0)),
        ([requirement_row("A", "passed"), requirement_row("X", "not-tested", in_scope=False)], [], False, ("PASS", 0)),
        (
            [requirement_row("A", "passed"), requirement_row("X", "failed", in_scope=False)],
            [],
            False,
            ("INCOMPLETE", 3),
        ),
        ([requirement_row("A", "passed")], [record("down", ERROR, cause="c")], False, ("INCOMPLETE", 3)),
        ([requirement_row("A", "failed")], [], True, ("INTERRUPTED", 130)),
    ],
)
def test_run_verdict(
    rows: list[dict[str, Any]], records: list[ScenarioRecord], interrupted: bool, expected: tuple[str, int]
) -> None:
    result = run_verdict(rows, records, interrupted)
    assert (result["status"], result["exit_code"]) == expected
    if expected[0] != "PASS":
        assert result["reasons"]


def test_an_interrupted_run_says_how_many_scenarios_never_ran() -> None:
    never = record("later", NOT_TESTED, message=NOT_RUN)
    result = run_verdict([requirement_row("A", "passed")], [record("a", PASSED), never], True)
    assert result["reasons"][0] == "the run was interrupted; 1 selected scenario(s) never ran"


def test_headline_errors_are_grouped_by_cause() -> None:
    records = [record(f"s{i}", ERROR, cause="https://p:443: connection refused") for i in range(3)]
    records.append(record("t", ERROR, cause="https://q:443: no complete answer within 5 s"))
    assert headline_errors(records) == [
        {"cause": "https://p:443: connection refused", "scenarios": 3},
        {"cause": "https://q:443: no complete answer within 5 s", "scenarios": 1},
    ]


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
        record("unreachable", ERROR, requirements=["CONC-03"], cause="https://p:443: connection refused"),
    ]


def test_build_results_validates_against_the_schema() -> None:
    records = sample_records()
    results = build_results(records, RUN, {records[1].id: f"evidence/{records[1].id}.json"})
    validator("results.schema.json").validate(results)


def test_build_results_with_no_records_validates() -> None:
    results = build_results([], RUN, {})
    validator("results.schema.json").validate(results)
    assert results["summary"] == {
        "passed": 0, "failed": 0, "error": 0, "not_tested": 0, "skipped": 0, "advisories": 0
    }  # fmt: skip
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
    broken = copy.deepcopy(results)
    broken["verdict"]["status"] = "GREEN"
    with pytest.raises(jsonschema.ValidationError):
        validator("results.schema.json").validate(broken)


def test_build_results_summary_counts_and_verdict() -> None:
    results = build_results(sample_records(), RUN, {})
    assert results["summary"] == {
        "passed": 2, "failed": 1, "error": 1, "not_tested": 1, "skipped": 1, "advisories": 0
    }  # fmt: skip
    assert results["verdict"]["status"] == "FAIL"
    assert results["errors"] == [{"cause": "https://p:443: connection refused", "scenarios": 1}]


def test_build_results_top_level_fields() -> None:
    results = build_results(sample_records(), RUN, {})
    assert results["schema_version"] == 2
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
    assert results["interrupted"] is False


def test_build_results_has_one_verdict_per_catalogue_requirement() -> None:
    results = build_results(sample_records(), RUN, {})
    assert [r["id"] for r in results["requirements"]] == list(catalogue())
    by_id = {r["id"]: r for r in results["requirements"]}
    assert by_id["CONC-01"]["status"] == "passed"
    assert by_id["CONC-02"]["status"] == "failed"
    assert by_id["CONC-03"]["status"] == "error"
    assert by_id["SLOT-01"]["status"] == "passed"
    assert by_id["SLOT-01"]["reason"].startswith("partly not judged")
    assert by_id["SLOT-02"]["status"] == "not-tested"
    # --tags narrows the scope to the selected scenarios' requirements.
    assert by_id["SLOT-02"]["in_scope"] is False
    assert by_id["CONC-01"]["in_scope"] is True


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
