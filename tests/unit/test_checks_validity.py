"""VAL-01: resources must be valid STU3 and meet their CareConnect profile."""

from __future__ import annotations

from typing import Any

import pytest

from spine_conformance.checks.validity import MAX_ISSUES_SHOWN, check_valid_resource, cited_sources, resource_findings
from spine_conformance.fhir import Issue, examples, validate_resource
from spine_conformance.findings import ADVISORY, CheckFailed
from tests.unit.test_fhir_rule_sources import broken_appointment


@pytest.mark.parametrize(
    "resource",
    [examples.patient(), examples.booking_appointment(), examples.slot(), examples.organization()],
    ids=["patient", "appointment", "slot", "organization"],
)
def test_valid_resources_pass(resource: dict[str, Any]) -> None:
    check_valid_resource(resource, "the response body")


def test_valid_resource_of_the_expected_type_passes() -> None:
    check_valid_resource(examples.patient(), "the response body", expected_type="Patient")


def test_invalid_resource_is_one_val_01_finding() -> None:
    patient = examples.patient()
    patient["gender"] = "robot"
    with pytest.raises(CheckFailed) as raised:
        check_valid_resource(patient, "the booking request")
    (finding,) = raised.value.findings
    assert finding.requirement == "VAL-01"
    assert finding.expected.startswith("the booking request to be a valid STU3 Patient")
    assert "Patient.gender" in finding.actual
    assert "robot" in finding.actual


def test_unexpected_resource_type_is_a_finding() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_valid_resource(examples.patient(), "the response body", expected_type="Appointment")
    (finding,) = raised.value.findings
    assert finding.requirement == "VAL-01"
    assert "Appointment" in finding.actual


def test_not_a_resource_is_a_finding() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_valid_resource({"id": "x"}, "the response body")
    assert raised.value.findings[0].requirement == "VAL-01"


def test_many_issues_are_summarised() -> None:
    patient = examples.patient()
    extra = MAX_ISSUES_SHOWN + 5
    patient["identifier"] += [
        {"use": "bogus", "system": "https://example.org/id", "value": str(n)} for n in range(extra)
    ]
    with pytest.raises(CheckFailed) as raised:
        check_valid_resource(patient, "the response body")
    (finding,) = raised.value.findings
    assert finding.actual.count("Identifier.use") == MAX_ISSUES_SHOWN
    assert finding.actual.endswith(" more)")


@pytest.mark.parametrize(
    ("element", "change"),
    [
        ("telecom", {"system": "pager-of-doom"}),
        ("telecom", {"use": "nowhere"}),
        ("name", {"use": "secret"}),
        ("address", {"use": "castle"}),
    ],
    ids=["ContactPoint.system", "ContactPoint.use", "HumanName.use", "Address.use"],
)
def test_invalid_data_type_codes_are_refused(element: str, change: dict[str, str]) -> None:
    patient = examples.patient()
    patient[element][0].update(change)
    with pytest.raises(CheckFailed):
        check_valid_resource(patient, "the response body")


def test_validity_findings_name_the_distinct_sources_of_the_errors() -> None:
    findings = resource_findings(broken_appointment(), "VAL-01", "the appointment")
    [normative] = [finding for finding in findings if not finding.advisory]
    result = validate_resource(broken_appointment())
    assert normative.source == cited_sources(result.errors)
    cited = normative.source.split("; ")
    assert len(cited) == len(set(cited)) > 1
    assert any("CareConnect-Patient-1" in text for text in cited)
    advisories = [finding for finding in findings if finding.severity == ADVISORY]
    assert advisories
    assert all("https://" in finding.source for finding in advisories)


def test_cited_sources_splits_multi_source_issues_and_keeps_order() -> None:
    issues = [
        Issue("error", "value", "a", source="A: https://a; B: https://b"),
        Issue("error", "value", "b", source="B: https://b"),
        Issue("error", "value", "c"),
        Issue("error", "value", "d", source="C: https://c"),
    ]
    assert cited_sources(issues) == "A: https://a; B: https://b; C: https://c"
