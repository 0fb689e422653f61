"""search:slot checks: SLOT-01 searchset, SLOT-02 free and inside the window, SLOT-03 includes."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from spine_conformance.checks.slots import (
    INCLUDES,
    SERVICE_PARAMETER,
    SlotWindow,
    check_includes,
    check_searchset,
    check_slot_offered,
    check_slots_in_window,
    reference_key,
)
from spine_conformance.findings import CheckFailed, NotTestable, evaluation
from spine_conformance.http import Exchange, HttpResponse

Json = dict[str, Any]
BASE = "https://provider.example/STU3/1"
WINDOW = SlotWindow(datetime(2025, 5, 1, 9, 0, tzinfo=UTC), datetime(2025, 5, 8, 9, 0, tzinfo=UTC))


def response(status: int = 200, body: bytes | Json = b"") -> HttpResponse:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    url = f"{BASE}/Slot"
    exchange = Exchange("search", "GET", url, [], b"", 0.0, status=status, response_body=raw)
    return HttpResponse(status, httpx.Headers({"Content-Type": "application/fhir+json"}), raw, url, exchange)


def findings(raised: pytest.ExceptionInfo[CheckFailed]) -> list[tuple[str, str, str]]:
    return [(f.requirement, f.expected, f.actual) for f in raised.value.findings]


# -- resources -------------------------------------------------------------------------------------
def slot(slot_id: str = "slot1", start: str = "2025-05-02T10:00:00+00:00", status: str = "free") -> Json:
    return {
        "resourceType": "Slot",
        "id": slot_id,
        "schedule": {"reference": "Schedule/sched1"},
        "status": status,
        "start": start,
        "end": "2025-05-02T10:15:00+00:00",
    }


def schedule() -> Json:
    return {
        "resourceType": "Schedule",
        "id": "sched1",
        "actor": [
            {"reference": "HealthcareService/hs1"},
            {"reference": "Practitioner/prac1"},
            {"reference": "PractitionerRole/role1"},
        ],
    }


def healthcare_service(provided_by: str = "Organization/org1") -> Json:
    return {
        "resourceType": "HealthcareService",
        "id": "hs1",
        "providedBy": {"reference": provided_by},
        "location": [{"reference": "Location/loc1"}],
    }


def included() -> list[Json]:
    return [
        schedule(),
        healthcare_service(),
        {"resourceType": "Practitioner", "id": "prac1"},
        {"resourceType": "PractitionerRole", "id": "role1"},
        {"resourceType": "Organization", "id": "org1"},
        {"resourceType": "Location", "id": "loc1"},
    ]


def bundle(resources: list[Json], bundle_type: str = "searchset") -> Json:
    return {
        "resourceType": "Bundle",
        "type": bundle_type,
        "entry": [{"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources],
    }


def full_bundle() -> Json:
    return bundle([slot("slot1"), slot("slot2", "2025-05-03T10:00:00+00:00"), *included()])


# -- SlotWindow --------------------------------------------------------------------------------------
def test_query_has_service_status_window_and_every_include() -> None:
    query = WINDOW.query("918999198999")
    assert query == [
        (SERVICE_PARAMETER, "918999198999"),
        ("status", "free"),
        ("start", "ge2025-05-01T09:00:00+00:00"),
        ("start", "le2025-05-08T09:00:00+00:00"),
        *(("_include", include) for include in INCLUDES),
    ]


def test_query_with_chosen_includes() -> None:
    query = WINDOW.query("hs1", includes=["Slot:schedule"])
    assert [value for key, value in query if key == "_include"] == ["Slot:schedule"]
    assert WINDOW.query("hs1", includes=()) == WINDOW.query("hs1")[:4]


def test_query_dates_carry_a_utc_offset() -> None:
    for key, value in WINDOW.query("hs1"):
        if key == "start":
            assert value.endswith("+00:00")
            assert value[:2] in ("ge", "le")


def test_ahead_drops_microseconds_and_spans_the_days() -> None:
    now = datetime(2025, 5, 1, 9, 0, 0, 123456, tzinfo=UTC)
    window = SlotWindow.ahead(now, 7)
    assert window.start == datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    assert window.end - window.start == timedelta(days=7)
    assert ("start", "ge2025-05-01T09:00:00+00:00") in window.query("hs1")


# -- reference_key -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reference", "key"),
    [
        ("Slot/1", "Slot/1"),
        ("Schedule/sched1", "Schedule/sched1"),
        ("https://provider.example/STU3/1/Slot/1", "Slot/1"),
        ("http://provider.example/Slot/1", "Slot/1"),
        ("Appointment/a1/_history/2", "Appointment/a1"),
        ("https://provider.example/STU3/1/Appointment/a1/_history/2", "Appointment/a1"),
        ("https://provider.example/STU3/1/Slot/1?x=y", "Slot/1"),
        ("Slot/1/", "Slot/1"),
        ("", ""),
    ],
)
def test_reference_key(reference: str, key: str) -> None:
    assert reference_key(reference) == key


# -- check_searchset (SLOT-01) -----------------------------------------------------------------------
def test_searchset_passes_and_returns_the_bundle() -> None:
    body = full_bundle()
    assert check_searchset(response(200, body)) == body


def test_empty_searchset_passes() -> None:
    check_searchset(response(200, {"resourceType": "Bundle", "type": "searchset"}))


def test_searchset_of_the_wrong_type() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_searchset(response(200, bundle([slot()], bundle_type="collection")))
    assert findings(raised) == [("SLOT-01", "Bundle.type searchset", "collection")]


def test_searchset_relative_full_url_and_missing_resource() -> None:
    body = bundle([slot("slot1"), slot("slot2")])
    body["entry"][0]["fullUrl"] = "Slot/slot1"
    del body["entry"][1]["resource"]
    with pytest.raises(CheckFailed) as raised:
        check_searchset(response(200, body))
    assert findings(raised) == [
        ("SLOT-01", "entry[0].fullUrl to be an absolute URL", "Slot/slot1"),
        ("SLOT-01", "entry[1].resource", "(absent)"),
    ]


def test_searchset_missing_full_url() -> None:
    body = bundle([slot()])
    del body["entry"][0]["fullUrl"]
    with pytest.raises(CheckFailed) as raised:
        check_searchset(response(200, body))
    assert findings(raised) == [("SLOT-01", "entry[0].fullUrl to be an absolute URL", "(absent)")]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, {"resourceType": "OperationOutcome"}, "a Bundle"),
        (200, b"<html/>", "a JSON body"),
        (400, {"resourceType": "Bundle", "type": "searchset"}, "HTTP 200"),
        (500, b"", "HTTP 200"),
    ],
    ids=["outcome", "not-json", "400", "500"],
)
@pytest.mark.parametrize("requirement", ["SLOT-01", "APPT-SEARCH-01"])
def test_searchset_failures_name_the_given_requirement(
    status: int, body: bytes | Json, expected: str, requirement: str
) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_searchset(response(status, body), requirement)
    [(found_requirement, found_expected, _)] = findings(raised)
    assert (found_requirement, found_expected) == (requirement, expected)


# -- check_slots_in_window (SLOT-02) -----------------------------------------------------------------
def test_free_slots_inside_the_window_pass() -> None:
    check_slots_in_window(full_bundle(), WINDOW)


@pytest.mark.parametrize(
    "start",
    ["2025-05-01T09:00:00+00:00", "2025-05-08T09:00:00+00:00", "2025-05-01T10:00:00+01:00", "2025-05-04T12:00:00Z"],
    ids=["at-start", "at-end", "offset", "zulu"],
)
def test_slot_on_the_window_edges_or_in_another_offset_passes(start: str) -> None:
    check_slots_in_window(bundle([slot(start=start)]), WINDOW)


def test_busy_slot() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_slots_in_window(bundle([slot("slot1"), slot("slot2", status="busy")]), WINDOW)
    assert findings(raised) == [("SLOT-02", "Slot/slot2 to be free", "busy")]


@pytest.mark.parametrize(
    "start",
    ["2025-05-01T08:59:59+00:00", "2025-05-08T09:00:01+00:00", "2025-05-01T09:30:00+01:00", "2026-01-01T00:00:00Z"],
    ids=["before", "after", "before-in-another-offset", "next-year"],
)
def test_slot_outside_the_window(start: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_slots_in_window(bundle([slot("slot9", start=start)]), WINDOW)
    expected = "Slot/slot9 to start between 2025-05-01T09:00:00+00:00 and 2025-05-08T09:00:00+00:00"
    assert findings(raised) == [("SLOT-02", expected, start)]


@pytest.mark.parametrize(("start", "actual"), [("tomorrow", "tomorrow"), (None, "(absent)"), ("", "(empty)")])
def test_unparsable_start(start: str | None, actual: str) -> None:
    body = bundle([slot("slot9")])
    body["entry"][0]["resource"]["start"] = start
    with pytest.raises(CheckFailed) as raised:
        check_slots_in_window(body, WINDOW)
    assert findings(raised) == [("SLOT-02", "Slot/slot9.start to be an instant", actual)]


@pytest.mark.parametrize("start", ["2025-05-02T10:00:00", "2025-05-02"], ids=["no-offset", "date-only"])
def test_start_without_a_timezone_is_a_finding(start: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_slots_in_window(bundle([slot("slot9", start=start)]), WINDOW)
    assert findings(raised) == [("SLOT-02", "Slot/slot9.start to be an instant", start)]


def test_every_bad_slot_is_reported_at_once() -> None:
    body = bundle([slot("a", status="busy"), slot("b", start="2024-01-01T00:00:00Z"), slot("c", start="?")])
    with pytest.raises(CheckFailed) as raised:
        check_slots_in_window(body, WINDOW)
    assert [f.expected.split(" ")[0] for f in raised.value.findings] == ["Slot/a", "Slot/b", "Slot/c.start"]
    assert {f.requirement for f in raised.value.findings} == {"SLOT-02"}


@pytest.mark.parametrize(
    "body",
    [{"resourceType": "Bundle", "type": "searchset"}, bundle(included())],
    ids=["empty", "only-includes"],
)
def test_no_slots_is_not_testable(body: Json) -> None:
    with pytest.raises(NotTestable, match="slot_window_days"):
        check_slots_in_window(body, WINDOW)


# -- check_includes (SLOT-03) ------------------------------------------------------------------------
def test_all_includes_present_pass() -> None:
    check_includes(full_bundle())


@pytest.mark.parametrize(
    ("resource_type", "key"),
    [
        ("Schedule", "Schedule/sched1"),
        ("HealthcareService", "HealthcareService/hs1"),
        ("Practitioner", "Practitioner/prac1"),
        ("PractitionerRole", "PractitionerRole/role1"),
        ("Organization", "Organization/org1"),
        ("Location", "Location/loc1"),
    ],
)
def test_missing_include(resource_type: str, key: str) -> None:
    resources = [r for r in full_bundle_resources() if r["resourceType"] != resource_type]
    with pytest.raises(CheckFailed) as raised:
        check_includes(bundle(resources))
    assert ("SLOT-03", f"{key} in the Bundle (requested by _include)", "absent") in findings(raised)
    assert {f.requirement for f in raised.value.findings} == {"SLOT-03"}


def full_bundle_resources() -> list[Json]:
    return [entry["resource"] for entry in full_bundle()["entry"]]


def advisories_of(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Related resources SHOULD NOT be duplicated: a repeat is reported as advisory, never raised."""
    with evaluation() as judged:
        check_includes(body)
    assert all(finding.advisory for finding in judged.advisories)
    return [(f.requirement, f.expected, f.actual) for f in judged.advisories]


def test_duplicate_resource_is_advisory() -> None:
    body = full_bundle()
    duplicate = copy.deepcopy(body["entry"][-1])  # Location/loc1
    duplicate["fullUrl"] = f"{BASE}/Location/loc1/_history/1"
    body["entry"].append(duplicate)
    assert advisories_of(body) == [("SLOT-03", "Location/loc1 once in the Bundle", "2 times")]


def test_duplicate_full_url_is_advisory() -> None:
    body = full_bundle()
    body["entry"][1]["fullUrl"] = body["entry"][0]["fullUrl"]
    assert advisories_of(body) == [("SLOT-03", f"fullUrl {BASE}/Slot/slot1 once", "2 times")]


def test_unrelated_resource() -> None:
    body = bundle([*full_bundle_resources(), {"resourceType": "Location", "id": "elsewhere"}])
    with pytest.raises(CheckFailed) as raised:
        check_includes(body)
    assert findings(raised) == [
        ("SLOT-03", "only resources related to the returned slots", "Location/elsewhere is not related to any of them")
    ]


def test_absolute_references_resolve_to_their_keys() -> None:
    resources = full_bundle_resources()
    for resource in resources:
        if resource["resourceType"] == "Slot":
            resource["schedule"] = {"reference": f"{BASE}/Schedule/sched1"}
        if resource["resourceType"] == "Schedule":
            resource["actor"] = [{"reference": f"{BASE}/{a['reference']}"} for a in resource["actor"]]
    check_includes(bundle(resources))


def test_provided_by_on_another_server_is_not_expected() -> None:
    resources = [
        healthcare_service("https://directory.example/STU3/Organization/org1") if r["id"] == "hs1" else r
        for r in full_bundle_resources()
        if r["resourceType"] != "Organization"
    ]
    check_includes(bundle(resources))


def test_only_the_requested_includes_are_expected() -> None:
    slots_and_schedule = bundle([slot("slot1"), schedule()])
    check_includes(slots_and_schedule, includes=["Slot:schedule"])
    service_only = bundle([slot("slot1"), schedule(), healthcare_service()])
    check_includes(service_only, includes=["Slot:schedule", "Schedule:actor:HealthcareService"])
    check_includes(bundle([slot("slot1")]), includes=[])


def test_resources_not_requested_are_unrelated() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_includes(full_bundle(), includes=["Slot:schedule", "Schedule:actor:HealthcareService"])
    assert [actual for _, _, actual in findings(raised)] == [
        f"{key} is not related to any of them"
        for key in ("Location/loc1", "Organization/org1", "Practitioner/prac1", "PractitionerRole/role1")
    ]


def test_requested_include_missing_when_only_some_requested() -> None:
    body = bundle([slot("slot1"), schedule()])
    with pytest.raises(CheckFailed) as raised:
        check_includes(body, includes=["Slot:schedule", "Schedule:actor:Practitioner"])
    assert findings(raised) == [("SLOT-03", "Practitioner/prac1 in the Bundle (requested by _include)", "absent")]


@pytest.mark.parametrize(
    "body",
    [{"resourceType": "Bundle", "type": "searchset"}, bundle(included())],
    ids=["empty", "only-includes"],
)
def test_includes_without_slots_is_not_testable(body: Json) -> None:
    with pytest.raises(NotTestable):
        check_includes(body)


# -- check_slot_offered ------------------------------------------------------------------------------
def test_slot_offered_as_expected() -> None:
    check_slot_offered(full_bundle(), "slot1", True, "APPT-CANCEL-03")
    check_slot_offered(full_bundle(), "slot7", False, "APPT-CREATE-04")


def test_slot_expected_but_absent() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_slot_offered(full_bundle(), "slot7", True, "APPT-CANCEL-03")
    assert findings(raised) == [("APPT-CANCEL-03", "Slot/slot7 offered as free", "Slot/slot7 absent")]


def test_slot_still_offered_after_booking() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_slot_offered(full_bundle(), "slot1", False, "APPT-CREATE-04")
    assert findings(raised) == [("APPT-CREATE-04", "Slot/slot1 no longer offered as free", "Slot/slot1 still offered")]


def test_only_slots_count_as_offered() -> None:
    with pytest.raises(CheckFailed):
        check_slot_offered(full_bundle(), "loc1", True, "APPT-CANCEL-03")
