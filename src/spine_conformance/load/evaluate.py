"""Each load requirement's outcome from the evidence of a run, and the run's verdict.

A requirement passes only on evidence that could have failed it: racing bookings that ran, bookings
read back, error answers that were judged. Without such evidence it is *not tested*, with the
reason, so a run where nothing could be booked never passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.checks.concurrency import check_single_winner
from spine_conformance.config.model import LoadConfig
from spine_conformance.findings import CheckFailed, Finding
from spine_conformance.interactions import Interaction
from spine_conformance.load import requirement_map as ids
from spine_conformance.load.aggregate import percentile
from spine_conformance.load.audit import Audit
from spine_conformance.load.observations import Observations, Race, RequestSample

PASSED, FAILED, NOT_TESTED = "passed", "failed", "not_tested"
PASS, FAIL, INCOMPLETE, INTERRUPTED = "PASS", "FAIL", "INCOMPLETE", "INTERRUPTED"
EXAMPLES_PER_REQUIREMENT = 10
JOURNEY = tuple(i.value for i in Interaction if i is not Interaction.READ_METADATA)


@dataclass
class Outcome:
    requirement: str
    status: str
    message: str
    findings: list[Finding] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)  # redacted exchanges


@dataclass(frozen=True)
class Evidence:
    """Everything a run produced that the requirements are judged on."""

    observations: Observations
    audit: Audit
    load: LoadConfig
    conflict_status: int


def evaluate(evidence: Evidence) -> list[Outcome]:
    return [
        _slot_once(evidence),
        _no_lost_update(evidence),
        _nothing_lost(evidence),
        _per_response(evidence, ids.ERROR_OUTCOMES, lambda s: s.status >= 400, "no 4xx/5xx answer was provoked"),
        _per_response(evidence, ids.MEDIA_TYPE, lambda s: s.status > 0, "no answer was received"),
        _per_response(evidence, ids.ANSWERED, lambda s: True, "no request was sent"),
        _interactions(evidence),
        _latency(evidence),
    ]


def verdict(outcomes: Sequence[Outcome], levels: dict[str, str], problems: Sequence[str], interrupted: bool) -> str:
    """PASS only when every MUST requirement passed on evidence and nothing left the evidence incomplete."""
    if interrupted:
        return INTERRUPTED
    musts = [o for o in outcomes if levels.get(o.requirement) == "MUST"]
    if any(o.status == FAILED for o in musts):
        return FAIL
    if problems or any(o.status != PASSED for o in musts):
        return INCOMPLETE
    return PASS


# -- one function per requirement ------------------------------------------------------------------


def _examples(evidence: Evidence, requirement: str) -> tuple[list[Finding], list[dict[str, Any]]]:
    """The detailed findings the Locust processes kept for a requirement, and their exchanges."""
    records = [r for r in evidence.observations.findings if r.get("requirement") == requirement]
    findings = [
        Finding(requirement, str(r["expected"]), str(r["actual"]), f"{r.get('name', '')}: {r.get('detail', '')}")
        for r in records[:EXAMPLES_PER_REQUIREMENT]
    ]
    exchanges = [r["exchange"] for r in records if r.get("exchange")][:EXAMPLES_PER_REQUIREMENT]
    return findings, exchanges


def _failed_races(races: Sequence[Race], winner: int, loser: int) -> list[Race]:
    failed = []
    for race in races:
        try:
            check_single_winner(list(race.statuses), winner, loser, "race")
        except CheckFailed:
            failed.append(race)
    return failed


def _race_requirement(evidence: Evidence, requirement: str, what: str, winner: int, loser: int, label: str) -> Outcome:
    races = [r for r in evidence.observations.races if r.what == what]
    failed = _failed_races(races, winner, loser)
    audit = evidence.audit
    # What the provider's state shows afterwards first: it names the slot or appointment outright.
    findings = [f for f in audit.findings if f.requirement == requirement]
    exchanges = list(audit.evidence.get(requirement, []))
    examples, example_exchanges = _examples(evidence, requirement)
    findings += examples
    exchanges += example_exchanges
    if failed or findings:
        counted = f"{len(failed)} of {len(races)} racing {label} had other than one winner" if failed else ""
        after = sum(1 for f in audit.findings if f.requirement == requirement)
        parts = [p for p in (counted, f"{after} broken afterwards" if after else "") if p]
        return Outcome(requirement, FAILED, "; ".join(parts) or "see the findings", findings, exchanges)
    if not races:
        why = " ([load] race_share = 0)" if evidence.load.race_share == 0 else ""
        return Outcome(requirement, NOT_TESTED, f"no racing {label} completed during the run{why}")
    if not audit.complete:
        return Outcome(requirement, NOT_TESTED, f"the provider's state could not be read back: {audit.problem}")
    return Outcome(requirement, PASSED, f"{len(races)} racing {label}, each with exactly one winner; state read back")


def _slot_once(evidence: Evidence) -> Outcome:
    conflict = evidence.conflict_status
    return _race_requirement(evidence, ids.SLOT_ONCE, "booking", 201, conflict, "bookings of one slot")


def _no_lost_update(evidence: Evidence) -> Outcome:
    return _race_requirement(evidence, ids.NO_LOST_UPDATE, "cancel", 200, 409, "cancels of one version")


def _nothing_lost(evidence: Evidence) -> Outcome:
    audit, created = evidence.audit, evidence.observations.created
    findings = [f for f in audit.findings if f.requirement == ids.NOTHING_LOST]
    if findings:
        message = f"{len(findings)} of {len(created)} bookings answered 201 could not be read back"
        return Outcome(ids.NOTHING_LOST, FAILED, message, findings, audit.evidence.get(ids.NOTHING_LOST, []))
    if not created:
        return Outcome(ids.NOTHING_LOST, NOT_TESTED, "nothing could be booked during the run")
    if not audit.complete:
        return Outcome(ids.NOTHING_LOST, NOT_TESTED, f"the bookings could not all be read back: {audit.problem}")
    return Outcome(ids.NOTHING_LOST, PASSED, f"all {len(created)} bookings answered 201 were read back")


def _per_response(
    evidence: Evidence, requirement: str, applies: Callable[[RequestSample], bool], none_seen: str
) -> Outcome:
    samples = [s for s in evidence.observations.requests if applies(s)]
    broken = [s for s in evidence.observations.requests if requirement in s.failed]
    findings, exchanges = _examples(evidence, requirement)
    if broken:
        return Outcome(requirement, FAILED, f"{len(broken)} of {len(samples)} requests broke it", findings, exchanges)
    if not samples:
        return Outcome(requirement, NOT_TESTED, none_seen)
    return Outcome(requirement, PASSED, f"{len(samples)} requests judged, none broke it")


def _interactions(evidence: Evidence) -> Outcome:
    requests = evidence.observations.requests
    broken = [s for s in requests if ids.INTERACTIONS in s.failed]
    findings, exchanges = _examples(evidence, ids.INTERACTIONS)
    if broken:
        records = [r for r in evidence.observations.findings if r.get("requirement") == ids.INTERACTIONS]
        by_rule = Counter(ids.suite_requirement_of(str(r.get("detail", ""))) for r in records)
        rules = ", ".join(rule for rule, _ in by_rule.most_common() if rule)
        message = f"{len(broken)} of {len(requests)} answers broke their interaction's rules" + (
            f", among them {rules}" if rules else ""
        )
        return Outcome(ids.INTERACTIONS, FAILED, message, findings, exchanges)
    answered = {s.name.split(" (race)", 1)[0] for s in requests if s.status}
    missing = [name for name in JOURNEY if name not in answered]
    if missing:
        return Outcome(ids.INTERACTIONS, NOT_TESTED, f"no answer was judged for {', '.join(missing)}")
    validated = sum(1 for s in requests if s.validated)
    if not validated:
        return Outcome(ids.INTERACTIONS, NOT_TESTED, "no answer body was run through the FHIR validator")
    return Outcome(
        ids.INTERACTIONS,
        PASSED,
        f"{sum(1 for s in requests if s.status)} answers passed their checks; {validated} bodies validated",
    )


def _latency(evidence: Evidence) -> Outcome:
    budget, wanted = evidence.load.latency_budget_ms, evidence.load.latency_percentile
    by_name: dict[str, list[float]] = {}
    for sample in evidence.observations.requests:
        if sample.status:
            by_name.setdefault(sample.name, []).append(sample.elapsed_ms)
    if not by_name:
        return Outcome(ids.LATENCY, NOT_TESTED, "no answer was timed")
    findings = []
    for name, values in sorted(by_name.items()):
        observed = percentile(sorted(values), wanted / 100)
        if observed > budget:
            findings.append(
                Finding(ids.LATENCY, f"p{wanted} within {budget} ms", f"p{wanted} {observed:.0f} ms", f"{name}")
            )
    if findings:
        slow = ", ".join(f"{f.detail} {f.actual}" for f in findings)
        return Outcome(ids.LATENCY, FAILED, f"over the {budget} ms budget: {slow}", findings)
    return Outcome(ids.LATENCY, PASSED, f"every interaction's p{wanted} within {budget} ms")
