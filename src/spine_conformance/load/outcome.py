"""The one place a load run meets the results model: results.json, its evidence and the report.

Each load requirement becomes one ScenarioRecord (judged, or an error of the run when nothing could
be judged), so results.json, rtm.csv, junit.xml, report.html and the verdict come from the same code
as for ``run``; the run's scope is the load requirements, the load figures go in a ``load`` section,
and what only the load run knows (observations missing, a headline) can make the verdict worse.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spine_conformance.findings import ADVISORY
from spine_conformance.load import evaluate
from spine_conformance.load.aggregate import LoadFigures
from spine_conformance.load.audit import Audit
from spine_conformance.load.evaluate import Outcome
from spine_conformance.load.plan import LoadPlan
from spine_conformance.paths import validator
from spine_conformance.redact import Redactor
from spine_conformance.reporting.render import Rendered, render_all
from spine_conformance.requirements import is_normative
from spine_conformance.results.build import RunInfo
from spine_conformance.results.records import ERROR, FAILED, NOT_TESTED, PASSED, ScenarioRecord, scenario_id
from spine_conformance.results.verdict import EXIT_CODES
from spine_conformance.results.write import RESULTS_FILE, write_run

FEATURE = "Conformance under load"
FEATURE_FILE = "load"
SCENARIO_NAMES = {
    "LOAD-01": "Racing bookings of one slot, and no slot held twice afterwards",
    "LOAD-02": "Racing cancels of one version, and no accepted cancel lost",
    "LOAD-03": "Every booking answered 201 read back afterwards",
    "LOAD-04": "Error answers under load carry an OperationOutcome",
    "LOAD-05": "Answers under load are application/fhir+json",
    "LOAD-06": "Every request answered, none with a server error",
    "LOAD-07": "Every answer passes its interaction's checks; sampled bodies valid",
    "LOAD-08": "Response times within the latency budget",
}
_STATUS = {evaluate.PASSED: PASSED, evaluate.FAILED: FAILED, evaluate.NOT_TESTED: NOT_TESTED}


@dataclass(frozen=True)
class LoadRun:
    """Everything the results of one load run are made from."""

    run: RunInfo
    plan: LoadPlan
    settings: dict[str, Any]  # the [load] settings in force
    outcomes: Sequence[Outcome]
    verdict: str
    headline: str
    problems: Sequence[str]
    figures: LoadFigures
    audit: Audit
    races: dict[str, int]
    bookings: int
    locust_files: Sequence[str] = ()
    process_names: dict[str, str] = field(default_factory=dict)  # Locust client id -> readable name


def scenario_records(load_run: LoadRun) -> list[ScenarioRecord]:
    records = []
    for outcome in load_run.outcomes:
        name = SCENARIO_NAMES.get(outcome.requirement, outcome.requirement)
        status, message = _STATUS[outcome.status], outcome.message
        if status == NOT_TESTED and load_run.headline:  # nothing could be judged: an error of the run
            status, message = ERROR, f"{load_run.headline}; {message}" if message else load_run.headline
        findings = [finding.as_dict() for finding in outcome.findings]
        advisories: list[dict[str, str]] = []
        if findings and not is_normative(outcome.requirement):  # SHOULD or unsourced: never a failure
            advisories = [{**finding, "severity": ADVISORY} for finding in findings]
            findings, status = [], PASSED
        records.append(
            ScenarioRecord(
                id=scenario_id(FEATURE_FILE, name, ""),
                feature=FEATURE,
                feature_file=FEATURE_FILE,
                name=name,
                tags=["load", f"req:{outcome.requirement}"],
                status=status,
                duration_s=load_run.run.duration_s,
                message=message,
                requirements=[outcome.requirement],
                findings=findings,
                exchanges=list(outcome.evidence),
                error=load_run.headline if status == ERROR else "",
                cause=load_run.headline if status == ERROR else "",
                evaluated=[outcome.requirement] if status in (PASSED, FAILED) else [],
                advisories=advisories,
            )
        )
    return records


def load_section(load_run: LoadRun) -> dict[str, Any]:
    figures = load_run.figures.as_dict()
    figures["rps_by_process"] = {
        load_run.process_names.get(process, process): rps for process, rps in figures["rps_by_process"].items()
    }
    audit = load_run.audit
    return {
        "mode": load_run.plan.mode,
        "users": load_run.plan.users,
        "spawn_rate": load_run.plan.spawn_rate,
        "duration_s": load_run.plan.duration_s,
        "workers": load_run.plan.worker_count,
        "settings": load_run.settings,
        **figures,
        "races": load_run.races,
        "bookings": load_run.bookings,
        "audit": {
            "read_back": len(audit.read),
            "planned": audit.planned,
            "problem": audit.problem,
            "cleaned_up": audit.cleaned,
            "left_booked": audit.left_booked,
        },
        "problems": list(load_run.problems),
        "locust_files": list(load_run.locust_files),
    }


SEVERITY = ("PASS", "INCOMPLETE", "FAIL", "INTERRUPTED")


def write_load_results(report_dir: Path, load_run: LoadRun, redactor: Redactor) -> Rendered:
    """results.json (scope: the load requirements; the load section), then every report."""
    records = scenario_records(load_run)
    results = write_run(report_dir, records, load_run.run, redactor)
    evidence = {record.requirements[0]: redactor.text(record.message) for record in records}
    for requirement in results["requirements"]:
        if requirement["id"] in evidence and requirement["status"] == "passed":
            requirement["reason"] = evidence[requirement["id"]]  # what it passed on, e.g. "18 racing bookings"
    verdict = results["verdict"]
    notes = [redactor.text(text) for text in (load_run.headline, *load_run.problems) if text]
    if SEVERITY.index(load_run.verdict) > SEVERITY.index(verdict["status"]):  # only the load run knew
        verdict["status"], verdict["exit_code"] = load_run.verdict, EXIT_CODES[load_run.verdict]
    verdict["reasons"] += [note for note in notes if note not in verdict["reasons"]]
    results["command"] = "load"
    results["load"] = redactor.data(load_section(load_run))
    validator("results.schema.json").validate(results)
    (report_dir / RESULTS_FILE).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return render_all(report_dir)
