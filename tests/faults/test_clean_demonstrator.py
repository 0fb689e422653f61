"""The clean demonstrator passes everything the suites verify, through the SSP and directly."""

from __future__ import annotations

from pathlib import Path

from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import run_suite, write_target


def test_every_suite_passes_against_the_embedded_demonstrator(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report")
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
