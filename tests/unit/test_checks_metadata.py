"""META-01: the CapabilityStatement declares STU3 and every interaction the six operations need."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spine_conformance.checks.metadata import REQUIRED_INTERACTIONS, check_capability_statement
from spine_conformance.findings import CheckFailed

Statement = dict[str, Any]


def good_statement() -> Statement:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-01-01",
        "kind": "instance",
        "fhirVersion": "3.0.1",
        "acceptUnknown": "no",
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {"type": "Slot", "interaction": [{"code": "search-type"}]},
                    {
                        "type": "Appointment",
                        "interaction": [
                            {"code": "read"},
                            {"code": "vread"},
                            {"code": "create"},
                            {"code": "update"},
                            {"code": "search-type"},
                        ],
                    },
                ],
            }
        ],
    }


def failures(statement: Statement) -> list[tuple[str, str, str]]:
    with pytest.raises(CheckFailed) as raised:
        check_capability_statement(statement)
    assert {f.requirement for f in raised.value.findings} == {"META-01"}
    return [(f.requirement, f.expected, f.actual) for f in raised.value.findings]


def test_good_statement_passes() -> None:
    check_capability_statement(good_statement())


def test_demonstrator_statement_passes() -> None:
    from spine_conformance.demonstrator.faults import FaultSet
    from spine_conformance.demonstrator.provider.capability import capability_statement

    check_capability_statement(capability_statement("https://provider.example/STU3/1", FaultSet()))


@pytest.mark.parametrize("version", ["3.0.0", "3.0.1", "3.0.2"])
def test_any_stu3_version_passes(version: str) -> None:
    statement = good_statement()
    statement["fhirVersion"] = version
    check_capability_statement(statement)


def test_extra_interactions_and_resources_are_fine() -> None:
    statement = good_statement()
    statement["rest"][0]["resource"].append({"type": "Patient", "interaction": [{"code": "read"}]})
    statement["rest"][0]["resource"][0]["interaction"].append({"code": "read"})
    statement["rest"].append({"mode": "client"})
    statement["format"] = ["xml", "json"]
    check_capability_statement(statement)


def test_interactions_may_be_spread_over_several_server_rest_entries() -> None:
    statement = good_statement()
    appointment = statement["rest"][0]["resource"].pop()
    statement["rest"].append({"mode": "server", "resource": [appointment]})
    check_capability_statement(statement)


@pytest.mark.parametrize(
    ("resource_type", "code"),
    [(resource_type, code) for resource_type, codes in REQUIRED_INTERACTIONS.items() for code in codes],
)
def test_each_missing_interaction_is_a_finding(resource_type: str, code: str) -> None:
    statement = good_statement()
    for resource in statement["rest"][0]["resource"]:
        if resource["type"] == resource_type:
            resource["interaction"] = [i for i in resource["interaction"] if i["code"] != code]
    found = failures(statement)
    assert len(found) == 1
    _, expected, actual = found[0]
    assert resource_type in expected
    assert actual == f"missing {code}"


def test_required_interactions_are_those_of_the_six_operations() -> None:
    assert REQUIRED_INTERACTIONS == {
        "Slot": ("search-type",),
        "Appointment": ("create", "read", "vread", "update", "search-type"),
    }


def test_a_missing_resource_lists_all_its_interactions() -> None:
    statement = good_statement()
    statement["rest"][0]["resource"] = [r for r in statement["rest"][0]["resource"] if r["type"] != "Appointment"]
    found = failures(statement)
    assert len(found) == 1
    assert found[0][2] == "missing create, read, vread, update, search-type"


def test_interactions_declared_only_in_client_mode_do_not_count() -> None:
    statement = good_statement()
    statement["rest"][0]["mode"] = "client"
    found = failures(statement)
    assert len(found) == 1
    assert "mode = server" in found[0][1]


@pytest.mark.parametrize("version", ["1.0.2", "4.0.1", "3.3.0", "", None, 3])
def test_wrong_fhir_version(version: object) -> None:
    statement = good_statement()
    statement["fhirVersion"] = version
    found = failures(statement)
    assert len(found) == 1
    assert "STU3" in found[0][1]


def test_missing_fhir_version() -> None:
    statement = good_statement()
    del statement["fhirVersion"]
    assert [f[2] for f in failures(statement)] == ["(absent)"]


@pytest.mark.parametrize(
    "rest",
    [None, [], [{"mode": "client", "resource": []}], [{"resource": []}], "server", [None]],
    ids=["absent", "empty", "client-only", "no-mode", "not-a-list", "null-entry"],
)
def test_no_server_rest_is_a_finding(rest: object) -> None:
    statement = good_statement()
    statement["rest"] = rest
    found = failures(statement)
    assert len(found) == 1
    assert "mode = server" in found[0][1]


def test_no_server_rest_still_reports_earlier_problems() -> None:
    statement = good_statement()
    statement["fhirVersion"] = "1.0.2"
    del statement["rest"]
    assert len(failures(statement)) == 2


@pytest.mark.parametrize(
    ("key", "value"),
    [("kind", "capability"), ("kind", None), ("format", ["xml"]), ("format", [])],
)
def test_kind_and_format(key: str, value: object) -> None:
    statement = good_statement()
    statement[key] = value
    assert len(failures(statement)) == 1


def test_several_problems_are_reported_together() -> None:
    statement = copy.deepcopy(good_statement())
    statement["fhirVersion"] = "1.0.2"
    statement["format"] = ["xml"]
    statement["rest"][0]["resource"][0]["interaction"] = []
    statement["rest"][0]["resource"][1]["interaction"] = [{"code": "read"}]
    assert len(failures(statement)) == 4


def test_malformed_entries_are_ignored_not_fatal() -> None:
    statement = good_statement()
    statement["rest"][0]["resource"].append("Slot")
    statement["rest"][0]["resource"][1]["interaction"].append("update")
    check_capability_statement(statement)
