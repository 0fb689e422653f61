"""Deciding requirements from scenario records, and the run's verdict from the requirements.

A requirement is decided by the scenarios that actually evaluated it:

* **failed** when a normative finding names it (in any scenario);
* **passed** when at least one scenario's checks judged it and none found it broken; a
  scenario that stopped before reaching it (another requirement failed first, the target went
  away) does not count either way, and is noted in the reason;
* **error** when nothing judged it and a scenario meant to was stopped by a problem of the run;
* **not-tested** otherwise, with the reason (the target lacked something, no scenario selected).

SHOULD and MAY requirements are never failed: their findings are advisory.

The run's verdict: INTERRUPTED when the run did not finish; FAIL when a requirement in scope
failed; INCOMPLETE when nothing failed but a MUST requirement in scope did not pass, a scenario
ended in error, or something outside the target's scope failed; PASS otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.requirements import CONDITIONS, Requirement
from spine_conformance.results.records import ERROR, NOT_RUN, NOT_TESTED, SKIPPED, ScenarioRecord

PASS, FAIL, INCOMPLETE, INTERRUPTED = "PASS", "FAIL", "INCOMPLETE", "INTERRUPTED"
EXIT_CODES = {PASS: 0, FAIL: 1, INCOMPLETE: 3, INTERRUPTED: 130}
REASON_LIMIT = 600


@dataclass(frozen=True)
class Scope:
    """What the run set out to verify: the suites' requirements, narrowed by a tag selection."""

    suites: tuple[str, ...]
    selected: frozenset[str] | None = None  # requirements the selected scenarios carry (with --tags)
    profiles: frozenset[str] = field(default_factory=frozenset)
    conditions: frozenset[str] = field(default_factory=frozenset)  # what the target meets (CONDITIONS)
    edition: str = "1"  # the Booking edition the target follows ([spec] edition)

    def why_out(self, requirement: Requirement) -> str:
        """Why ``requirement`` is not in scope ("" when it is)."""
        if requirement.edition and requirement.edition != self.edition:
            return (
                f"not in scope: a rule of Booking edition {requirement.edition}; the target follows edition "
                f"{self.edition} ([spec] edition)"
            )
        if requirement.profile and requirement.profile not in self.profiles:
            return f"not in scope: a rule of the {requirement.profile} assurance profile, which is not selected"
        if requirement.condition and requirement.condition not in self.conditions:
            return f"not in scope: applies only to {CONDITIONS[requirement.condition]}"
        if not any(requirement.in_suite(suite) for suite in self.suites):
            if requirement.suite == "load":
                return "not in scope: judged by `spine-conformance load` (conformance under load)"
            owner = "consumer" if requirement.role == "consumer" else requirement.interface
            return f"not in scope: a {requirement.role} requirement, verified by the {_suite_for(owner)} suite"
        if self.selected is not None and requirement.id not in self.selected:
            return "not in scope: no scenario verifying it was selected by --tags"
        return ""


def _suite_for(owner: str) -> str:
    return {"consumer": "consumer", "exemption": "exemption", "appointments": "provider"}.get(owner, "provider")


def _findings_for(record: ScenarioRecord, requirement_id: str) -> list[dict[str, str]]:
    return [f for f in record.findings if f["requirement"] == requirement_id]


def requirement_verdict(requirement: Requirement, records: Sequence[ScenarioRecord], scope: Scope) -> dict[str, Any]:
    rid = requirement.id
    tagged = [r for r in records if rid in r.requirements and r.status != SKIPPED]
    failing = [r for r in records if _findings_for(r, rid)]
    advisories = [a for r in records for a in r.advisories if a["requirement"] == rid]
    judged = [r for r in tagged if rid in r.evaluated and not _findings_for(r, rid)]
    verdict: dict[str, Any] = {
        "id": rid,
        "title": requirement.title,
        "level": requirement.level,
        "source": requirement.source,
        "sources": [source.as_dict() for source in requirement.sources],
        "interface": requirement.interface,
        "role": requirement.role,
        "profile": requirement.profile,
        "in_scope": not scope.why_out(requirement),
        "normative": requirement.normative,
        "advisory_reason": requirement.advisory,
        "scenarios": list(dict.fromkeys(r.id for r in tagged + failing)),
        "advisories": advisories,
    }
    if failing:
        reasons = [f["actual"] for r in failing for f in _findings_for(r, rid)]
        return {**verdict, "status": "failed", "reason": _cut(reasons[0])}
    unreached = [r for r in tagged if r not in judged]
    if judged:
        note = _not_reached(rid, unreached)
        return {**verdict, "status": "passed", "reason": _cut(f"partly not judged: {note}") if note else ""}
    errors = [r for r in unreached if r.status == ERROR]
    if errors:
        causes = Counter(r.cause or r.error for r in errors)
        text = "; ".join(f"{cause} ({count} scenario{'s' * (count > 1)})" for cause, count in causes.most_common())
        return {**verdict, "status": "error", "reason": _cut(f"could not be judged: {text}")}
    why_out = scope.why_out(requirement)
    reason = _not_reached(rid, unreached) or why_out or _no_scenario(requirement)
    return {**verdict, "status": "not-tested", "reason": _cut(reason)}


def _no_scenario(requirement: Requirement) -> str:
    selected = "no scenario verifying it was selected in this run"
    return f"{selected} ({requirement.not_tested})" if requirement.not_tested else selected


def _not_reached(requirement_id: str, records: Sequence[ScenarioRecord]) -> str:
    reasons: list[str] = []
    for record in records:
        if record.status == NOT_TESTED:
            reasons.append(f"{record.name}: {record.message}")
        elif record.status == ERROR:
            reasons.append(f"{record.name}: could not be judged ({record.cause or record.error})")
        else:
            others = sorted({f["requirement"] for f in record.findings} - {requirement_id})
            why = f"it stopped early on a failure of {', '.join(others)}" if others else "its checks never reached it"
            reasons.append(f"{record.name}: {why}")
    return "; ".join(dict.fromkeys(reasons))


def _cut(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def headline_errors(records: Sequence[ScenarioRecord]) -> list[dict[str, Any]]:
    """Each distinct problem that stopped scenarios, once, with how many it stopped."""
    causes = Counter(r.cause or r.error for r in records if r.status == ERROR)
    return [{"cause": cause, "scenarios": count} for cause, count in causes.most_common()]


def run_verdict(
    requirements: Sequence[dict[str, Any]], records: Sequence[ScenarioRecord], interrupted: bool, because: str = ""
) -> dict[str, Any]:
    """The run's verdict, its exit code and the reasons an assessor needs to read it."""
    in_scope = [r for r in requirements if r["in_scope"]]
    failed = [r["id"] for r in in_scope if r["status"] == "failed"]
    outside = [r["id"] for r in requirements if not r["in_scope"] and r["status"] == "failed"]
    unproven = [r for r in in_scope if r["normative"] and r["status"] not in ("passed", "failed")]
    errored = [r for r in records if r.status == ERROR]
    reasons: list[str] = []
    not_run = sum(1 for r in records if r.message == NOT_RUN)
    if interrupted:
        why = f" ({because})" if because else ""
        reasons.append(f"the run was interrupted{why}; {not_run} selected scenario(s) never ran")
    if failed:
        reasons.append(f"{len(failed)} requirement(s) failed: {', '.join(failed)}")
    if outside:
        reasons.append(
            f"requirement(s) outside this run's scope failed (a system other than the one under test): "
            f"{', '.join(outside)}"
        )
    for status in ("error", "not-tested"):
        ids = [r["id"] for r in unproven if r["status"] == status]
        if ids:
            label = "could not be judged" if status == "error" else "were not tested"
            reasons.append(f"{len(ids)} MUST requirement(s) in scope {label}: {', '.join(ids)}")
    if errored:
        reasons.append(f"{len(errored)} scenario(s) ended in error (see the errors)")
    if interrupted:
        status = INTERRUPTED
    elif failed:
        status = FAIL
    elif unproven or errored or outside:
        status = INCOMPLETE
    else:
        status = PASS
    return {"status": status, "exit_code": EXIT_CODES[status], "reasons": reasons}


def selected_requirements(records: Collection[ScenarioRecord]) -> frozenset[str]:
    return frozenset(rid for record in records if record.status != SKIPPED for rid in record.requirements)
