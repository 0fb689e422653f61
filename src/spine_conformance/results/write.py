"""Write a run's results.json and per-scenario evidence files (redacted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spine_conformance.paths import validator
from spine_conformance.redact import Redactor
from spine_conformance.results.build import RunInfo, build_results
from spine_conformance.results.records import ScenarioRecord

RESULTS_FILE = "results.json"
EVIDENCE_DIR = "evidence"


def write_run(report_dir: Path, records: Sequence[ScenarioRecord], run: RunInfo, redactor: Redactor) -> dict[str, Any]:
    report_dir.mkdir(parents=True, exist_ok=True)
    evidence_paths: dict[str, str] = {}
    for record in records:
        if not record.exchanges and not record.findings and not record.advisories and not record.error:
            continue
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
        evidence_paths[record.id] = relative
    safe = [
        ScenarioRecord(
            **{
                **record.as_dict(),
                "message": redactor.text(record.message),
                "findings": redactor.data(record.findings),
                "advisories": redactor.data(record.advisories),
                "error": redactor.text(record.error),
                "cause": redactor.text(record.cause),
                # results.json keeps only what the timing table needs; the exchanges are evidence.
                "exchanges": [
                    {"interaction": e.get("interaction", ""), "elapsed_s": e["elapsed_s"], "response": {}}
                    for e in record.exchanges
                    if e.get("response") is not None
                ],
            }
        )
        for record in records
    ]
    results = build_results(safe, run, evidence_paths)
    validator("results.schema.json").validate(results)
    _write_json(report_dir / RESULTS_FILE, results)
    return results


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
