"""Each load requirement judged on its evidence, and the verdict: never greener than the evidence."""

from __future__ import annotations

from typing import Any

from spine_conformance.config.model import LoadConfig
from spine_conformance.findings import Finding
from spine_conformance.interactions import Interaction
from spine_conformance.load.audit import Audit, ReadBack
from spine_conformance.load.evaluate import (
    FAIL,
    INCOMPLETE,
    INTERRUPTED,
    PASS,
    Evidence,
    Outcome,
    evaluate,
    verdict,
)
from spine_conformance.load.observations import Observations
from spine_conformance.requirements import catalogue

LEVELS = {r.id: r.level for r in catalogue().values()}
JOURNEY = [i.value for i in Interaction if i is not Interaction.READ_METADATA]


def observations(**extra: Any) -> Observations:
    """A healthy run: every journey interaction answered, a body validated, races with one winner each."""
    seen = Observations()
    for name in JOURNEY:
        seen.add({"k": "request", "w": "w1", "name": name, "t": 1.0, "ms": 20.0, "status": 200, "validated": True})
    seen.add({"k": "request", "w": "w1", "name": "create_appointment (race)", "t": 1.0, "ms": 30.0, "status": 422})
    seen.add({"k": "race", "w": "w1", "what": "booking", "key": "Slot/S1", "statuses": [201, 422, 422]})
    seen.add({"k": "race", "w": "w1", "what": "cancel", "key": "Appointment/a version 1", "statuses": [200, 409]})
    seen.add({"k": "created", "w": "w1", "id": "a", "slot": "S1"})
    for record in extra.get("records", []):
        seen.add(record)
    return seen


def answer(status: int, *failed: str) -> dict[str, Any]:
    return {"k": "request", "w": "w1", "name": "read_appointment", "t": 2, "ms": 9, "status": status, "failed": failed}


def audited(seen: Observations, **fields: Any) -> Audit:
    audit = Audit(planned=len(seen.created), read={i: ReadBack(200, {"status": "booked"}, None) for i in seen.created})
    for key, value in fields.items():
        setattr(audit, key, value)
    return audit


def judge(seen: Observations, audit: Audit | None = None, load: LoadConfig | None = None) -> dict[str, Outcome]:
    evidence = Evidence(seen, audit or audited(seen), load or LoadConfig(), 422)
    return {outcome.requirement: outcome for outcome in evaluate(evidence)}


def test_a_healthy_run_passes_every_requirement_on_evidence() -> None:
    outcomes = judge(observations())
    assert {o.status for o in outcomes.values()} == {"passed"}
    assert verdict(list(outcomes.values()), LEVELS, [], False) == PASS


def test_a_race_with_two_winners_fails_slot_once_and_counts_the_races() -> None:
    seen = observations(records=[{"k": "race", "w": "w1", "what": "booking", "key": "Slot/S2", "statuses": [201, 201]}])
    outcome = judge(seen)["LOAD-01"]
    assert outcome.status == "failed"
    assert outcome.message.startswith("1 of 2 racing bookings of one slot had other than one winner")
    assert verdict([outcome], LEVELS, [], False) == FAIL


def test_a_double_booking_found_afterwards_fails_slot_once_first_in_the_findings() -> None:
    seen = observations(
        records=[{"k": "finding", "w": "w1", "requirement": "LOAD-01", "expected": "e", "actual": "a", "name": "n"}]
    )
    holders = "2 appointments hold Slot/S1: Appointment/a, Appointment/b"
    double = Finding("LOAD-01", "Slot/S1 held by at most one", holders)
    outcome = judge(seen, audited(seen, findings=[double]))["LOAD-01"]
    assert outcome.status == "failed"
    assert outcome.findings[0] == double


def test_without_races_the_race_requirements_are_not_tested_and_say_why() -> None:
    seen = observations()
    seen.races.clear()
    outcomes = judge(seen, load=LoadConfig(race_share=0))
    assert outcomes["LOAD-01"].status == outcomes["LOAD-02"].status == "not_tested"
    assert "race_share = 0" in outcomes["LOAD-01"].message
    assert verdict(list(outcomes.values()), LEVELS, [], False) == INCOMPLETE


def test_a_run_where_nothing_could_be_booked_never_passes() -> None:
    seen = Observations()
    seen.add({"k": "request", "w": "w1", "name": "search_slot", "t": 1.0, "ms": 5.0, "status": 200})
    outcomes = judge(seen, Audit())
    assert outcomes["LOAD-03"].status == "not_tested"
    assert outcomes["LOAD-03"].message == "nothing could be booked during the run"
    assert outcomes["LOAD-07"].status == "not_tested"
    assert verdict(list(outcomes.values()), LEVELS, [], False) == INCOMPLETE


def test_an_incomplete_audit_leaves_the_state_requirements_untested() -> None:
    seen = observations()
    outcomes = judge(seen, audited(seen, problem="3 of 9 appointments were not reached within 60 s"))
    assert outcomes["LOAD-03"].status == "not_tested"
    assert "not reached" in outcomes["LOAD-03"].message
    assert outcomes["LOAD-01"].status == "not_tested"


def test_a_lost_booking_fails_nothing_lost() -> None:
    seen = observations()
    lost = Finding("LOAD-03", "Appointment/a readable", "HTTP 404")
    outcome = judge(seen, audited(seen, findings=[lost]))["LOAD-03"]
    assert (outcome.status, outcome.findings) == ("failed", [lost])


def test_per_response_requirements_count_the_requests_that_broke_them() -> None:
    seen = observations(
        records=[
            answer(500, "LOAD-06"),
            answer(0, "LOAD-06"),
        ]
    )
    outcome = judge(seen)["LOAD-06"]
    assert outcome.status == "failed"
    assert outcome.message == f"2 of {len(seen.requests)} requests broke it"


def test_no_error_answer_means_error_outcomes_were_not_tested() -> None:
    seen = observations()
    seen.requests[:] = [s for s in seen.requests if s.status < 400]
    assert judge(seen)["LOAD-04"].status == "not_tested"


def test_interaction_rules_name_the_suite_rules_broken() -> None:
    seen = observations(
        records=[
            answer(200, "LOAD-07"),
            {
                "k": "finding",
                "w": "w1",
                "requirement": "LOAD-07",
                "expected": "ETag",
                "actual": "(absent)",
                "detail": "APPT-READ-01 under load",
                "name": "read_appointment",
            },
        ]
    )
    outcome = judge(seen)["LOAD-07"]
    assert outcome.status == "failed"
    assert outcome.message.endswith("among them APPT-READ-01")


def test_a_journey_interaction_never_answered_leaves_the_interaction_rules_untested() -> None:
    seen = observations()
    seen.requests[:] = [s for s in seen.requests if s.name != "search_appointment"]
    outcome = judge(seen)["LOAD-07"]
    assert (outcome.status, outcome.message) == ("not_tested", "no answer was judged for search_appointment")


def test_latency_over_budget_fails_the_advisory_requirement_but_not_the_verdict() -> None:
    outcomes = judge(observations(), load=LoadConfig(latency_budget_ms=10))
    latency = outcomes["LOAD-08"]
    assert latency.status == "failed"
    assert "search_slot p95 20 ms" in latency.message
    assert LEVELS["LOAD-08"] == "SHOULD"
    assert verdict(list(outcomes.values()), LEVELS, [], False) == PASS


def test_run_problems_cap_the_verdict_at_incomplete_and_an_interrupt_wins() -> None:
    outcomes = list(judge(observations()).values())
    assert verdict(outcomes, LEVELS, ["observations from Locust process w2 are incomplete"], False) == INCOMPLETE
    assert verdict(outcomes, LEVELS, [], True) == INTERRUPTED


def test_a_booking_race_another_consumer_won_before_it_started_is_counted_but_not_judged() -> None:
    preempted = {"k": "race", "w": "w1", "what": "booking_preempted", "key": "Slot/S9", "statuses": [422, 422]}
    outcome = judge(observations(records=[preempted]))["LOAD-01"]
    assert outcome.status == "passed"
    assert outcome.message.startswith("1 racing bookings")
