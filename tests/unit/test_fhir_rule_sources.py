"""Every rule has a published source, and the source reaches the user (issues, outcomes, findings)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from spine_conformance.fhir import (
    PROFILE_RULES,
    Issue,
    examples,
    operation_outcome,
    outcome_problems,
    validate_resource,
)
from spine_conformance.fhir.booking import BOOKING_RULES, CANCEL_RULES
from spine_conformance.fhir.profiles import CLAIMED_PROFILE_RULES
from spine_conformance.fhir.rule_sources import ERROR, WARNING, Rule, RuleSource
from spine_conformance.fhir.validator import CORE_SOURCES

Json = dict[str, Any]
ALL_RULES: list[Rule[Any]] = [
    *(rule for rules in PROFILE_RULES.values() for rule in rules),
    *CLAIMED_PROFILE_RULES,
    *BOOKING_RULES,
    *CANCEL_RULES,
]
# A followable link to the text as read: a GitHub file at a full commit, or a canonical FHIR page.
PINNED = re.compile(
    r"^https://(github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/\S+|hl7\.org/fhir/STU3/\S+|fhir\.hl7\.org\.uk/STU3/\S+)$"
)


def _assert_cites_published_text(source: RuleSource) -> None:
    assert PINNED.match(source.url), source.url
    assert source.title and source.version, source


@pytest.mark.parametrize("rule", [rule for rule in ALL_RULES if rule.severity == ERROR], ids=lambda r: r.name)
def test_every_error_level_rule_has_a_source_with_an_https_url(rule: Rule[Any]) -> None:
    assert rule.sources, f"{rule.name} can fail a requirement but cites nothing"
    for source in rule.sources:
        _assert_cites_published_text(source)


@pytest.mark.parametrize("rule", [rule for rule in ALL_RULES if rule.severity == WARNING], ids=lambda r: r.name)
def test_advisory_rules_name_the_text_that_does_not_state_them(rule: Rule[Any]) -> None:
    assert rule.sources
    for source in rule.sources:
        _assert_cites_published_text(source)


def test_rules_are_errors_or_warnings_and_named_once_in_each_edition() -> None:
    """A rule may belong to both Booking editions with different severities, but to each edition once."""
    assert {rule.severity for rule in ALL_RULES} == {ERROR, WARNING}
    names = [(rule.name, edition) for rule in ALL_RULES for edition in rule.editions]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("source", CORE_SOURCES, ids=lambda s: s.title)
def test_core_layers_cite_fhir_stu3(source: RuleSource) -> None:
    _assert_cites_published_text(source)
    assert source.url.startswith("https://hl7.org/fhir/STU3/")


def test_the_device_rule_cites_the_uec_jwt_claim_not_a_careconnect_profile() -> None:
    [rule] = PROFILE_RULES["Device"]
    assert rule.name == "requesting_device"
    assert [source.title for source in rule.sources] == ["UEC Appointments — JWT requesting_device claim"]
    assert "fs_authentication.md#requesting_device-claim" in rule.sources[0].url
    device = examples.device()
    del device["model"]
    [issue] = validate_resource(device).issues
    assert "CareConnect-Device" not in issue.diagnostics + issue.source


def broken_appointment() -> Json:
    """One problem for each layer: model, value set, ref-1, dom-3, profile error and warning."""
    appointment = examples.booking_appointment()
    appointment["priority"] = -1
    appointment["participant"][0]["status"] = "yes"
    appointment["supportingInformation"] = [{"reference": "#missing"}]
    appointment["end"] = appointment["start"]
    appointment["contained"][1]["identifier"][0].pop("extension")
    appointment["contained"][1]["meta"]["profile"] = ["https://example.org/Local"]
    appointment["contained"][0]["type"]["coding"][0]["system"] = "http://loinc.org"
    return appointment


def test_every_issue_of_the_validator_carries_its_source() -> None:
    result = validate_resource(broken_appointment())
    assert {issue.severity for issue in result.issues} == {"error", "warning"}
    for issue in result.issues:
        assert "https://" in issue.source, issue.describe()


@pytest.mark.parametrize(
    ("body", "snippet"),
    [(b"{", "json.html"), ({"resourceType": "Wibble"}, "resourcelist.html"), (examples.patient(), "http.html")],
)
def test_fatal_and_core_issues_cite_fhir(body: Any, snippet: str) -> None:
    result = validate_resource(body, expected_type="Appointment")
    assert any(snippet in issue.source for issue in result.issues), [i.source for i in result.issues]


def test_the_outcome_carries_the_source_in_details_text_and_stays_valid() -> None:
    result = validate_resource(broken_appointment())
    outcome = result.outcome()
    assert outcome_problems(outcome) == []
    for entry, issue in zip(outcome["issue"], result.issues, strict=True):
        assert entry["details"] == {"text": f"Rule source: {issue.source}"}
    # A sourced issue with a Spine code keeps its coding beside the text.
    spine = operation_outcome([Issue("error", "value", "bad", spine_code="INVALID_RESOURCE", source="X: https://x")])
    assert spine["issue"][0]["details"]["coding"][0]["code"] == "INVALID_RESOURCE"
    assert spine["issue"][0]["details"]["text"] == "Rule source: X: https://x"
    assert "details" not in operation_outcome([Issue("error", "value", "no source")])["issue"][0]
