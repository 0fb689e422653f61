"""Write a run's per-scenario evidence (as each scenario ends) and its results.json (redacted).

Evidence is written the moment a scenario's record arrives and the record keeps only the timings
afterwards, so a long run's memory does not grow with the bodies it has seen, and a run stopped
early has already left its evidence (redacted) behind.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from spine_conformance.paths import validator
from spine_conformance.redact import Redactor
from spine_conformance.results.build import RunInfo, build_results
from spine_conformance.results.records import ScenarioRecord

RESULTS_FILE = "results.json"
EVIDENCE_DIR = "evidence"


def write_evidence(report_dir: Path, record: ScenarioRecord, redactor: Redactor) -> str | None:
    """``evidence/<scenario>.json`` (redacted), or None when the scenario has nothing to show."""
    if not (record.exchanges or record.findings or record.advisories or record.error):
        return None
    relative = f"{EVIDENCE_DIR}/{record.id}.json"
    evidence = {
        "scenario": record.id,
        "name": record.name,
        "redacted": redactor.enabled,
        "findings": redactor.data(record.findings),
        "advisories": redactor.data(record.advisories),
        "error": redactor.text(record.error),
        "exchanges": [redactor.exchange(exchange) for exchange in record.exchanges],
    }
    _write_json(report_dir / relative, evidence)
    return relative


def slim(record: ScenarioRecord, redactor: Redactor) -> ScenarioRecord:
    """The record as results.json keeps it: its texts redacted, of its exchanges only the timings."""
    return replace(
        record,
        message=redactor.text(record.message),
        findings=redactor.data(record.findings),
        advisories=redactor.data(record.advisories),
        error=redactor.text(record.error),
        cause=redactor.text(record.cause),
        exchanges=[
            {"interaction": e.get("interaction", ""), "elapsed_s": e["elapsed_s"], "response": {}}
            for e in record.exchanges
            if e.get("response") is not None
        ],
    )


def write_results(
    report_dir: Path, records: Sequence[ScenarioRecord], run: RunInfo, evidence_paths: dict[str, str]
) -> dict[str, Any]:
    """results.json from slimmed records, checked against its schema."""
    results = build_results(records, run, evidence_paths)
    validator("results.schema.json").validate(results)
    _write_json(report_dir / RESULTS_FILE, results)
    return results


def write_run(report_dir: Path, records: Sequence[ScenarioRecord], run: RunInfo, redactor: Redactor) -> dict[str, Any]:
    """Evidence and results.json for records gathered in memory (tools and tests; the plugin streams)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    paths = {record.id: path for record in records if (path := write_evidence(report_dir, record, redactor))}
    return write_results(report_dir, [slim(record, redactor) for record in records], run, paths)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
