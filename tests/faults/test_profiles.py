"""Assurance profiles: the packs' own rules apply only when selected, and the demonstrator meets each.

A plain Booking-spec provider (JSON only, no compression, no cache header) is not failed, and its run
is not made INCOMPLETE, by rules only an assurance pack imposes; selecting the pack fails them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from spine_conformance.config.model import SpecChoices
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.requirements import catalogue
from tests.suite_runner import NOT_MATRIX, SuiteRun, run_against

PACK_ONLY_FAULTS = ("xml-not-served", "gzip-responses-off", "gzip-requests-refused", "cache-control-missing")


def profile_requirements(run: SuiteRun, profile: str) -> list[dict[str, object]]:
    return [r for r in run.results["requirements"] if r["profile"] == profile]


@pytest.mark.parametrize("profiles", [(), ("gp-connect",), ("tkw",)], ids=["none", "gp-connect", "tkw"])
def test_the_provider_suite_passes_against_the_demonstrator_with_each_profile(
    profiles: tuple[str, ...], tmp_path: Path
) -> None:
    with Demonstrator(spec=SpecChoices(profiles=profiles)) as demonstrator:
        run = run_against(demonstrator.config, tmp_path, "--suite", "provider", *NOT_MATRIX)
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    for profile in ("gp-connect", "tkw"):
        for requirement in profile_requirements(run, profile):
            if profile in profiles and catalogue()[str(requirement["id"])].edition == "2":
                # The pack's rules of the 2.x edition: out of scope for this edition-1 target, saying so.
                assert (requirement["in_scope"], requirement["status"]) == (False, "not-tested"), requirement
                assert "Booking edition 2" in str(requirement["reason"]), requirement
            elif profile in profiles:
                assert (requirement["in_scope"], requirement["status"]) == (True, "passed"), requirement
            else:
                assert (requirement["in_scope"], requirement["status"]) == (False, "not-tested"), requirement
    unselected = [s for s in run.results["scenarios"] if s["status"] == "not_tested"]
    assert all("[spec] profiles" in s["message"] for s in unselected), unselected
    assert bool(unselected) == (len(profiles) < 2)


def test_a_plain_booking_provider_is_not_failed_by_pack_rules_until_the_pack_is_selected(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "selected").mkdir()
    with Demonstrator(faults=PACK_ONLY_FAULTS, spec=SpecChoices()) as demonstrator:
        plain = run_against(demonstrator.config, tmp_path / "plain", "--suite", "provider", *NOT_MATRIX)
        selected = run_against(
            replace(demonstrator.config, spec=SpecChoices(profiles=("gp-connect", "tkw"))),
            tmp_path / "selected",
            "--suite",
            "provider",
            "--tags",
            "req:TKW-* or req:GPC-* or req:HTTP-02",
        )
    assert (plain.exit_code, plain.verdict) == (0, "PASS"), plain.output
    xml = [s for s in plain.results["scenarios"] if s["status"] == "not_tested" and "declares no XML" in s["message"]]
    assert xml, "the XML scenarios are not tested when the CapabilityStatement declares no XML"
    assert selected.verdict == "FAIL", selected.output
    failed = {"TKW-FORMAT-01", "TKW-GZIP-01", "TKW-GZIP-02", "GPC-GZIP-01", "GPC-CACHE-01"}
    assert selected.requirements_with("failed") == failed, selected.output
    assert "GPC-FORMAT-02" in selected.requirements_advised()
