"""A load run's results.json and report.html: the load section, the verdict, the plot."""

from __future__ import annotations

import json
from pathlib import Path

from spine_conformance.config.model import LoadConfig, TargetConfig
from spine_conformance.findings import Finding
from spine_conformance.load.aggregate import summarise
from spine_conformance.load.audit import Audit
from spine_conformance.load.evaluate import Outcome
from spine_conformance.load.observations import RequestSample
from spine_conformance.load.outcome import LoadRun, write_load_results
from spine_conformance.load.plan import LoadPlan
from spine_conformance.load.plot import load_plot_svg
from spine_conformance.load.requirement_map import LOAD_REQUIREMENTS
from spine_conformance.paths import validator
from spine_conformance.redact import Redactor
from spine_conformance.reporting.manifest import verify_manifest
from spine_conformance.results.build import RunInfo

NHS = TargetConfig().patient.nhs_number


def load_run(verdict: str = "FAIL", headline: str = "") -> LoadRun:
    samples = [RequestSample("w1", "search_slot", 1_800_000_000 + t / 10, 12.0, 200, ()) for t in range(30)]
    outcomes = [Outcome(requirement, "passed", "judged on evidence") for requirement in LOAD_REQUIREMENTS]
    outcomes[0] = Outcome(
        "LOAD-01",
        "failed",
        "1 of 3 racing bookings of one slot had other than one winner",
        [Finding("LOAD-01", "Slot/S1 held by at most one", f"2 appointments hold Slot/S1 (patient {NHS})")],
    )
    if headline:  # nothing could be judged (as run.py's _outcomes makes it)
        outcomes = [Outcome(requirement, "not_tested", "") for requirement in LOAD_REQUIREMENTS]
    return LoadRun(
        run=RunInfo("Acme PAS", ["load"], "2026-12-01T10:00:00+00:00", 20.0),
        plan=LoadPlan(users=4, spawn_rate=4.0, duration_s=15, workers=2),
        settings=vars(LoadConfig()),
        outcomes=outcomes,
        verdict=verdict,
        headline=headline,
        problems=["observations from Locust process w2 are incomplete"],
        figures=summarise(samples),
        audit=Audit(planned=3),
        races={"booking": 3},
        bookings=3,
        process_names={"w1": "worker 1"},
    )


def test_results_hold_the_load_requirements_the_verdict_and_the_load_section(tmp_path: Path) -> None:
    rendered = write_load_results(tmp_path, load_run(), Redactor.for_target(TargetConfig()))
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    validator("results.schema.json").validate(results)
    in_scope = [r for r in results["requirements"] if r["in_scope"]]
    assert [r["id"] for r in in_scope] == list(LOAD_REQUIREMENTS)
    assert all(r["reason"].startswith("not in scope: ") for r in results["requirements"] if not r["in_scope"])
    gherkin = [r for r in results["requirements"] if r["id"] == "APPT-CREATE-01"]
    assert gherkin[0]["reason"] == "not in scope: a provider requirement, verified by the provider suite"
    assert results["verdict"]["status"] == "FAIL" and results["command"] == "load"
    assert in_scope[0]["status"] == "failed"
    assert in_scope[1]["reason"] == "judged on evidence"
    assert "observations from Locust process w2 are incomplete" in results["verdict"]["reasons"]
    assert results["load"]["requests"] == 30
    assert results["load"]["rps_by_process"] == {"worker 1": results["load"]["rps"]}
    assert rendered.run.results == results
    assert verify_manifest(tmp_path) == []


def test_nothing_personal_reaches_the_run_folder(tmp_path: Path) -> None:
    write_load_results(tmp_path, load_run(), Redactor.for_target(TargetConfig()))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert NHS not in path.read_text("utf-8"), path


def test_the_report_shows_the_verdict_the_headline_and_the_load_section(tmp_path: Path) -> None:
    write_load_results(tmp_path, load_run("INCOMPLETE", "the target could not be reached"), Redactor())
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert results["errors"] == [{"cause": "the target could not be reached", "scenarios": 8}]
    page = (tmp_path / "report.html").read_text("utf-8")
    assert '<header class="incomplete">' in page
    assert "the target could not be reached" in page
    assert "Under load" in page and "Latency by interaction" in page
    assert page.count("<svg") == 1 and "<script" not in page


def test_the_plot_draws_both_panels_from_numbers_only() -> None:
    timeline = [{"t": t, "requests": 10 + t, "failures": 0, "p50_ms": 5.0, "p95_ms": 9.0} for t in range(5)]
    svg = load_plot_svg(timeline, 1000)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<polyline") == 4  # requests, failures, p50, p95; the 1000 ms budget is above the scale
    assert "budget 1000 ms (above the scale)" in svg
    within = load_plot_svg(timeline, 8)
    assert within.count("<polyline") == 5 and 'stroke-dasharray="6 4"' in within


def test_no_timeline_no_plot() -> None:
    assert load_plot_svg([], 1000) == ""


def test_report_re_renders_a_load_run_and_exits_by_its_verdict(tmp_path: Path) -> None:
    from spine_conformance.cli.main import main

    write_load_results(tmp_path, load_run("INCOMPLETE", "nothing can be booked"), Redactor())
    (tmp_path / "report.html").unlink()
    assert main(["report", str(tmp_path)]) == 3
    assert (tmp_path / "report.html").is_file()
