"""The clean demonstrator passes everything the suites verify, through the SSP and directly."""

from __future__ import annotations

from pathlib import Path

from spine_conformance.config.model import SpecChoices
from spine_conformance.config.rules import ASSURANCE_PROFILES
from spine_conformance.demonstrator.embedded import Demonstrator
from tests.faults.conftest import CLEAN_RUN_GROUP
from tests.suite_runner import SuiteRun, run_suite, write_target


@CLEAN_RUN_GROUP
def test_every_suite_passes_against_the_embedded_demonstrator(clean_run: tuple[SuiteRun, Path]) -> None:
    run, _ = clean_run
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    summary = run.results["summary"]
    assert summary["failed"] == summary["error"] == summary["not_tested"] == summary["advisories"] == 0
    assert summary["passed"] > 0
    # Skipped: only what does not apply to this demonstrator (TLS-03: it does not use mutual TLS by default).
    skipped = [s for s in run.results["scenarios"] if s["status"] == "skipped"]
    assert {req for s in skipped for req in s["requirements"]} <= {"TLS-03"}
    applicable = [s for s in run.results["scenarios"] if s["status"] != "skipped"]
    verified = {req for scenario in applicable for req in scenario["requirements"]}
    assert verified <= run.requirements_with("passed"), run.output
    # No scenario carries a requirement its checks never judge: a tag alone is never evidence.
    for scenario in applicable:
        unjudged = set(scenario["requirements"]) - set(scenario["evaluated"])
        assert not unjudged, f"{scenario['name']!r} is tagged with {sorted(unjudged)} but never judges them"


def test_provider_suite_passes_when_calling_the_provider_directly(tmp_path: Path) -> None:
    with Demonstrator() as demonstrator:
        config = write_target(demonstrator.direct_config(), tmp_path)
        run = run_suite(tmp_path / "report", "--config", str(config), "--suite", "provider")
    assert run.exit_code == 0, run.output
    assert run.results["summary"]["failed"] == 0


def test_provider_suite_passes_against_a_demonstrator_following_the_2x_edition(tmp_path: Path) -> None:
    """[spec] edition = "2": the harness sends the 2.x requests, the demonstrator answers as the 2.x pages say,
    and the 2.x scenarios run (the seed-only ones do not)."""
    with Demonstrator(spec=SpecChoices(edition="2", profiles=ASSURANCE_PROFILES)) as demonstrator:
        config = write_target(demonstrator.config, tmp_path)
        run = run_suite(tmp_path / "report", "--config", str(config), "--suite", "provider")
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    summary = run.results["summary"]
    assert summary["failed"] == summary["error"] == summary["not_tested"] == summary["advisories"] == 0
    passed = run.requirements_with("passed")
    assert {"XREQ-01", "XREQ-02", "XREQ-03", "APPT-CREATE-06", "APPT-CREATE-07", "APPT-CREATE-08"} <= passed
    assert {"TKW-CORR-01", "TKW-RANK-01"} <= passed  # the TKW pack's 2.x rules, its profile being selected
    names = [scenario["name"] for scenario in run.results["scenarios"]]
    assert not any("the seed pages require one" in name for name in names)
    for scenario in run.results["scenarios"]:
        if scenario["status"] == "skipped":  # only what does not apply (TLS-03 without mutual TLS)
            assert set(scenario["requirements"]) <= {"TLS-03"}, scenario["name"]
            continue
        unjudged = set(scenario["requirements"]) - set(scenario["evaluated"])
        assert not unjudged, f"{scenario['name']!r} is tagged with {sorted(unjudged)} but never judges them"


def test_the_2x_requirements_are_out_of_scope_for_a_seed_edition_target(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--suite", "provider", "--tags", "req:APPT-CREATE-03")
    assert run.exit_code == 0, run.output
    verdicts = {r["id"]: r for r in run.results["requirements"]}
    assert not verdicts["XREQ-01"]["in_scope"]
    assert "Booking edition 2" in verdicts["XREQ-01"]["reason"]
