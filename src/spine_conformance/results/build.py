"""From scenario records to results.json: summary, requirement verdicts, evidence references.

A requirement is *failed* when a finding names it, or when a scenario tagged with it failed
without a finding (the target was unreachable, say); *passed* when at least one scenario tagged
with it passed and none failed (a variant the target cannot support is noted, not counted);
otherwise *not-tested*, with the reason: no scenario selected, the target lacked something, or
its scenario stopped early on another requirement's failure.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spine_conformance import __version__
from spine_conformance.requirements import Requirement, catalogue
from spine_conformance.results.records import FAILED, NOT_TESTED, PASSED, SKIPPED, ScenarioRecord

SCHEMA_VERSION = 1


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


def requirement_verdict(requirement: Requirement, records: Sequence[ScenarioRecord]) -> dict[str, Any]:
    tagged = [r for r in records if requirement.id in r.requirements and r.status != SKIPPED]
    named = [r for r in records if any(f["requirement"] == requirement.id for f in r.findings)]
    unexplained = [r for r in tagged if r.status == FAILED and not r.findings]
    scenario_ids = list(dict.fromkeys(r.id for r in tagged + named))
    verdict: dict[str, Any] = {
        "id": requirement.id,
        "title": requirement.title,
        "level": requirement.level,
        "source": requirement.source,
        "interface": requirement.interface,
        "scenarios": scenario_ids,
    }
    if named or unexplained:
        reasons = [f["actual"] for r in named for f in r.findings if f["requirement"] == requirement.id]
        reasons += [r.error or r.message for r in unexplained]
        return {**verdict, "status": "failed", "reason": reasons[0][:500] if reasons else ""}
    blocked = any(r.status == FAILED for r in tagged)
    if not blocked and any(r.status == PASSED for r in tagged):
        partial = [r for r in tagged if r.status == NOT_TESTED]
        note = _not_tested_reason(requirement, partial) if partial else ""
        return {**verdict, "status": "passed", "reason": f"partly not tested: {note}" if note else ""}
    return {**verdict, "status": "not-tested", "reason": _not_tested_reason(requirement, tagged)}


def _not_tested_reason(requirement: Requirement, tagged: Sequence[ScenarioRecord]) -> str:
    if not tagged:
        selected = "no scenario verifying it was selected in this run"
        return f"{selected} ({requirement.not_tested})" if requirement.not_tested else selected
    reasons: list[str] = []
    for record in tagged:
        if record.status == NOT_TESTED:
            reasons.append(f"{record.name}: {record.message}")
        elif record.status == FAILED:
            others = sorted({f["requirement"] for f in record.findings})
            reasons.append(f"{record.name}: stopped early on a failure of {', '.join(others)}")
    return "; ".join(dict.fromkeys(reasons)) or "not verified"


def build_results(records: Iterable[ScenarioRecord], run: RunInfo, evidence_paths: dict[str, str]) -> dict[str, Any]:
    ordered = sorted(records, key=lambda r: (r.feature_file, r.id))
    summary = {
        status: sum(1 for r in ordered if r.status == status) for status in (PASSED, FAILED, SKIPPED, NOT_TESTED)
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "spine-conformance", "version": __version__, "python": platform.python_version()},
        "target": {
            "name": run.target_name,
            "suites": run.suites,
            "fingerprint": run.fingerprint,
            "tls_verify": run.tls_verify,
            "spec": run.spec or {},
        },
        "selection": {"tags": run.tags},
        "redacted": run.redacted,
        "started": run.started,
        "duration_s": round(run.duration_s, 3),
        "summary": summary,
        "requirements": [requirement_verdict(req, ordered) for req in catalogue().values()],
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
                "requirements": r.requirements,
                "findings": r.findings,
                "evidence": [evidence_paths[r.id]] if r.id in evidence_paths else [],
                "timings": [
                    {"interaction": e.get("interaction", ""), "elapsed_s": e["elapsed_s"]} for e in r.exchanges
                ],
            }
            for r in ordered
        ],
    }
