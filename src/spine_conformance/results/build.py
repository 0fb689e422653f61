"""From scenario records to results.json: summary, requirement verdicts, the run's verdict.

How requirements and the run are decided is :mod:`.verdict`'s job; this module only lays the
document out (``schemas/results.schema.json``).
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spine_conformance import __version__
from spine_conformance.requirements import catalogue, catalogue_digest
from spine_conformance.results.records import STATUSES, ScenarioRecord
from spine_conformance.results.verdict import (
    Scope,
    headline_errors,
    requirement_verdict,
    run_verdict,
    selected_requirements,
)

SCHEMA_VERSION = 2
CATALOGUE_VERSION = "2"


@dataclass(frozen=True)
class RunInfo:
    target_name: str
    suites: list[str]
    started: str
    duration_s: float
    fingerprint: str = ""
    tls_verify: bool = True
    spec: dict[str, Any] | None = None
    tags: str = ""
    redacted: bool = True
    interrupted: bool = False
    interrupted_because: str = ""
    profiles: tuple[str, ...] = field(default_factory=tuple)
    # What was tested and for whom (results.identification.identification); {} = nothing known.
    identification: dict[str, Any] = field(default_factory=dict)
    conditions: tuple[str, ...] = field(default_factory=tuple)  # requirements.CONDITIONS the target meets


def build_results(records: Iterable[ScenarioRecord], run: RunInfo, evidence_paths: dict[str, str]) -> dict[str, Any]:
    ordered = sorted(records, key=lambda r: (r.feature_file, r.id))
    summary = {status: sum(1 for r in ordered if r.status == status) for status in STATUSES}
    summary["advisories"] = sum(len(r.advisories) for r in ordered)
    scope = Scope(
        suites=tuple(run.suites),
        selected=selected_requirements(ordered) if run.tags else None,
        profiles=frozenset(run.profiles),
        conditions=frozenset(run.conditions),
        edition=str((run.spec or {}).get("edition", "1")),
    )
    requirements = [requirement_verdict(req, ordered, scope) for req in catalogue().values()]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "spine-conformance",
            "version": __version__,
            "python": platform.python_version(),
            "catalogue_version": CATALOGUE_VERSION,
            "catalogue_sha256": catalogue_digest(),
        },
        "identification": run.identification or {"run_id": "", "parties": []},
        "target": {
            "name": run.target_name,
            "suites": run.suites,
            "fingerprint": run.fingerprint,
            "tls_verify": run.tls_verify,
            "spec": run.spec or {},
        },
        "selection": {"tags": run.tags},
        "redacted": run.redacted,
        "interrupted": run.interrupted,
        "started": run.started,
        "duration_s": round(run.duration_s, 3),
        "verdict": run_verdict(requirements, ordered, run.interrupted, run.interrupted_because),
        "errors": headline_errors(ordered),
        "summary": summary,
        "requirements": requirements,
        "scenarios": [
            {
                "id": r.id,
                "feature": r.feature,
                "feature_file": r.feature_file,
                "name": r.name,
                "tags": r.tags,
                "status": r.status,
                "duration_s": round(r.duration_s, 4),
                "message": r.message,
                "cause": r.cause,
                "requirements": r.requirements,
                "evaluated": r.evaluated,
                "findings": r.findings,
                "advisories": r.advisories,
                "evidence": [evidence_paths[r.id]] if r.id in evidence_paths else [],
                "timings": [
                    {"interaction": e.get("interaction", ""), "elapsed_s": e["elapsed_s"]} for e in r.exchanges
                ],
            }
            for r in ordered
        ],
    }
