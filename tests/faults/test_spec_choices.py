"""The [spec] choices change what the suite expects, and a target lacking something is 'not tested'."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from spine_conformance.config.model import SpecChoices
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.interactions import ALTERNATIVE_SLOT_INTERACTION
from tests.suite_runner import run_against

CHOICES = {
    "slot-conflict-409": SpecChoices(slot_conflict_status=409),
    "token-error-401": SpecChoices(token_error_status=401),
    "read-slot-interaction": SpecChoices(slot_interaction=ALTERNATIVE_SLOT_INTERACTION),
    "practitioner-required": SpecChoices(practitioner_required=True),
    "busy-search-refused": SpecChoices(busy_search="refused"),
    "busy-search-supported": SpecChoices(busy_search="supported"),
}
# The negative matrices (@matrix) follow a choice alike on every interaction: two of them are tried here.
SOME_OF_A_MATRIX = "(not matrix or interaction:read_metadata or interaction:create_appointment)"
AFFECTED = {
    "slot-conflict-409": "req:APPT-CREATE-02 or req:CONC-04",
    "token-error-401": f"req:JWT-08 and {SOME_OF_A_MATRIX}",
    "read-slot-interaction": f"interaction:search_slot or (req:SSP-HDR-05 and {SOME_OF_A_MATRIX})",
    "practitioner-required": f"req:JWT-08 and {SOME_OF_A_MATRIX}",
    "busy-search-refused": "req:SLOT-06",
    "busy-search-supported": "req:SLOT-06",
}


@pytest.mark.parametrize("choice", sorted(CHOICES))
def test_suite_follows_the_configured_spec_choice(choice: str, tmp_path: Path) -> None:
    with Demonstrator(spec=CHOICES[choice]) as demonstrator:
        run = run_against(demonstrator.config, tmp_path, "--suite", "provider", "--tags", AFFECTED[choice])
    assert run.exit_code == 0, run.output
    assert run.results["summary"]["passed"] > 0


def test_a_provider_answering_otherwise_than_configured_fails(tmp_path: Path) -> None:
    # The demonstrator answers a taken slot with 422; a target configured for 409 must see that as a failure.
    with Demonstrator() as demonstrator:
        config = replace(demonstrator.config, spec=SpecChoices(slot_conflict_status=409))
        run = run_against(config, tmp_path, "--suite", "provider", "--tags", "req:APPT-CREATE-02 or req:CONC-04")
    assert run.exit_code == 1
    assert run.requirements_with("failed") == {"APPT-CREATE-02", "CONC-04"}


@pytest.mark.parametrize(("serves", "configured"), [("edition", "refused"), ("refused", "supported")])
def test_a_busy_search_answered_otherwise_than_configured_fails_slot_06(
    serves: str, configured: str, tmp_path: Path
) -> None:
    """The seed pages allow either answer; a target that says which one it gives is held to it."""
    with Demonstrator(spec=SpecChoices(busy_search=serves)) as demonstrator:
        config = replace(demonstrator.config, spec=SpecChoices(busy_search=configured))
        run = run_against(config, tmp_path, "--suite", "provider", "--tags", "req:SLOT-06")
    assert run.exit_code == 1, run.output
    assert run.requirements_with("failed") == {"SLOT-06"}
    assert all(f"busy_search = {configured}" in s["message"] for s in run.failed_scenarios), run.output


def test_a_provider_without_free_slots_is_incomplete_with_the_reasons(tmp_path: Path) -> None:
    """Observed: with no free slot, 23 of 64 scenarios (16 MUST requirements) untested and the run said PASS."""
    with Demonstrator() as demonstrator:
        config = demonstrator.config
        lacking = replace(
            config,
            provider=replace(config.provider, healthcare_service="999999999999"),
            validate=replace(config.validate, base_url=""),
        )
        # The negative matrices (@matrix) add nothing to what this shows, and would triple its time.
        run = run_against(lacking, tmp_path, "--suite", "provider", "--tags", "not matrix")
    assert run.exit_code == 3, run.output
    assert run.verdict == "INCOMPLETE"
    assert "INCOMPLETE" in run.output and "were not tested: " in run.output
    assert run.results["summary"]["failed"] == 0
    untested_musts = [
        r["id"] for r in run.results["requirements"] if r["normative"] and r["in_scope"] and r["status"] == "not-tested"
    ]
    assert "APPT-CREATE-01" in untested_musts and len(untested_musts) >= 10
    assert any(", ".join(untested_musts) in reason for reason in run.results["verdict"]["reasons"])
    not_tested = {r["id"]: r["reason"] for r in run.results["requirements"] if r["status"] == "not-tested"}
    assert "free slot" in not_tested["APPT-CREATE-01"]
    assert "slot_window_days" in not_tested["SLOT-02"]
    assert "[validate] base_url" in not_tested["VAL-02"]
    assert run.results["summary"]["not_tested"] > 0
