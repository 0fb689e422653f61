"""Traceability of the Gherkin suites: every scenario names known requirements, and every
requirement a scenario verifies has a fault mode that makes the suite fail it."""

from __future__ import annotations

from spine_conformance.consumer.faults import FAULTS as CONSUMER_FAULTS
from spine_conformance.demonstrator.faults import FAULTS
from spine_conformance.load.requirement_map import LOAD_REQUIREMENTS
from spine_conformance.pytest_plugin import EDITION_TAGS, INTERACTION_TAGS, PLAIN_TAGS
from spine_conformance.requirements import catalogue
from spine_conformance.suite_index import indexed_scenarios, verified_requirements


def test_there_are_scenarios() -> None:
    assert indexed_scenarios()


def test_every_scenario_verifies_at_least_one_catalogued_requirement() -> None:
    known = catalogue()
    for scenario in indexed_scenarios():
        assert scenario.requirements, f"{scenario.feature_file}: {scenario.name!r} has no @req tag"
        unknown = [req for req in scenario.requirements if req not in known]
        assert not unknown, f"{scenario.name!r} names unknown requirements {unknown}"


def test_every_tag_is_a_known_kind() -> None:
    for scenario in indexed_scenarios():
        for tag in scenario.tags:
            kind, _, value = tag.partition(":")
            if kind == "interaction":
                assert value in INTERACTION_TAGS, f"{scenario.name!r}: unknown interaction {value}"
            elif kind == "edition":
                assert value in EDITION_TAGS, f"{scenario.name!r}: unknown Booking edition {value}"
            elif kind != "req":
                assert tag in PLAIN_TAGS, f"{scenario.name!r}: unregistered tag @{tag}"


def test_every_verified_requirement_has_a_fault_that_violates_it() -> None:
    violated = {requirement for fault in FAULTS.values() for requirement in fault.requirements}
    violated |= {fault.violates for fault in CONSUMER_FAULTS.values()}
    missing = sorted(verified_requirements() - violated)
    assert not missing, f"requirements with no fault mode to prove their checks can fail: {missing}"


def test_every_normative_verified_requirement_has_a_fault_that_fails_it() -> None:
    """Advisory findings never fail: a MUST requirement needs a fault the suite reports as a failure."""
    failed = {requirement for fault in FAULTS.values() for requirement in fault.violates}
    failed |= {fault.violates for fault in CONSUMER_FAULTS.values() if not fault.advisory}
    normative = {rid for rid in verified_requirements() if catalogue()[rid].normative}
    assert not sorted(normative - failed)


def test_every_fault_violates_catalogued_requirements_only() -> None:
    known = catalogue()
    for fault in FAULTS.values():
        assert fault.requirements or fault.errors, fault.name
        assert set(fault.requirements) <= known.keys(), fault.name
        assert all(known[rid].normative for rid in fault.violates), f"{fault.name}: an advisory rule cannot fail"


def test_every_requirement_carries_one_role() -> None:
    """What a consumer must send and what a service must answer are different requirements."""
    assert all(len(requirement.roles) == 1 for requirement in catalogue().values())


def test_every_requirement_is_verified_or_says_why_not() -> None:
    verified = verified_requirements()
    for requirement in catalogue().values():
        assert requirement.id in verified or requirement.not_tested, (
            f"{requirement.id} has no scenario and no not_tested reason in the catalogue"
        )


def test_every_provider_requirement_of_appointments_has_a_provider_scenario() -> None:
    provider_features = {s for s in indexed_scenarios() if "/provider/" in s.feature_file}
    covered = {req for scenario in provider_features for req in scenario.requirements}
    wanted = {r.id for r in catalogue().values() if r.interface != "exemption" and r.role == "provider"}
    wanted -= set(LOAD_REQUIREMENTS)  # judged by `spine-conformance load`, not by a Gherkin scenario
    assert wanted <= covered, f"provider requirements without a provider scenario: {sorted(wanted - covered)}"


def test_the_load_command_judges_exactly_the_load_requirements_of_the_catalogue() -> None:
    catalogued = [r.id for r in catalogue().values() if r.id.startswith("LOAD-")]
    assert catalogued == list(LOAD_REQUIREMENTS)
    covered = {req for scenario in indexed_scenarios() for req in scenario.requirements}
    assert not covered & set(LOAD_REQUIREMENTS), "a Gherkin scenario claims a load requirement"


def test_a_scenario_verifying_a_requirement_of_one_edition_runs_only_in_that_edition() -> None:
    """A requirement of one Booking edition is out of scope in the other, so its scenarios must not run there."""
    known = catalogue()
    for scenario in indexed_scenarios():
        editions = {known[req].edition for req in scenario.requirements if known[req].edition}
        tagged = {tag.partition(":")[2] for tag in scenario.tags if tag.startswith("edition:")}
        assert editions <= tagged, f"{scenario.name!r} verifies edition {sorted(editions)} rules without @edition"
