"""Appointment checks: create (APPT-CREATE-01), read (APPT-READ-01/03), patient search (APPT-SEARCH-01)
and cancel (APPT-CANCEL-01), plus the set-up helper usable_version."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from spine_conformance.checks.appointments import (
    check_cancelled,
    check_created,
    check_patient_search,
    check_read,
    check_version_kept,
    usable_version,
)
from spine_conformance.fhir.versioning import version_of
from spine_conformance.findings import CheckFailed
from spine_conformance.http import Exchange, HttpResponse

Json = dict[str, Any]
BASE = "https://provider.example/STU3/1"
LOCATION = f"{BASE}/Appointment/a1/_history/1"
LAST_MODIFIED = "Thu, 01 May 2025 10:00:00 GMT"
ABSENT = object()  # a header left out


def appointment(version: str = "1", status: str = "booked", slot: str = "Slot/slot1", **extra: Any) -> Json:
    return {
        "resourceType": "Appointment",
        "id": "a1",
        "meta": {"versionId": version},
        "status": status,
        "slot": [{"reference": slot}],
        **extra,
    }


def response(status: int, body: bytes | Json, **headers: object) -> HttpResponse:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    values = {"Content-Type": "application/fhir+json"}
    values.update({name.replace("_", "-"): str(value) for name, value in headers.items() if value is not ABSENT})
    url = f"{BASE}/Appointment"
    exchange = Exchange("test", "GET", url, [], b"", 0.0, status=status, response_body=raw)
    return HttpResponse(status, httpx.Headers(values), raw, url, exchange)


def created(
    status: int = 201, body: Json | None = None, location: object = LOCATION, etag: object = 'W/"1"'
) -> HttpResponse:
    return response(status, appointment() if body is None else body, Location=location, ETag=etag)


def findings(raised: pytest.ExceptionInfo[CheckFailed]) -> list[tuple[str, str, str]]:
    return [(f.requirement, f.expected, f.actual) for f in raised.value.findings]


def test_version_of() -> None:
    assert version_of(appointment("7")) == "7"
    assert version_of({"meta": {"versionId": 3}}) == "3"
    assert version_of({}) == ""
    assert version_of({"meta": None}) == ""


# -- check_created (APPT-CREATE-01) ------------------------------------------------------------------
@pytest.mark.parametrize("base_url", [BASE, BASE + "/"])
def test_created_passes_and_returns_the_appointment(base_url: str) -> None:
    assert check_created(created(), base_url, "slot1") == appointment()


def test_created_with_an_absolute_slot_reference_passes() -> None:
    check_created(created(body=appointment(slot=f"{BASE}/Slot/slot1")), BASE, "slot1")


def test_created_200_instead_of_201() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_created(created(200), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", "HTTP 201", "HTTP 200")]


def test_created_body_not_an_appointment() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_created(created(body={"resourceType": "OperationOutcome"}), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", "a Appointment", "OperationOutcome")]


@pytest.mark.parametrize(
    ("location", "actual"),
    [
        ("Appointment/a1/_history/1", "Appointment/a1/_history/1"),
        (f"{BASE}/Appointment/a2/_history/1", f"{BASE}/Appointment/a2/_history/1"),
        (f"{BASE}/Appointment/a1/_history/2", f"{BASE}/Appointment/a1/_history/2"),
        (f"{BASE}/Appointment/a1", f"{BASE}/Appointment/a1"),
        (
            "https://other.example/STU3/1/Appointment/a1/_history/1",
            "https://other.example/STU3/1/Appointment/a1/_history/1",
        ),
        (ABSENT, "(absent)"),
    ],
    ids=["relative", "wrong-id", "wrong-version", "no-history", "other-host", "missing"],
)
def test_created_location(location: object, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_created(created(location=location), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", f"Location {LOCATION}", actual)]


@pytest.mark.parametrize(
    ("etag", "actual"),
    [(ABSENT, "(absent)"), ('"1"', '"1"'), ('W/"2"', 'W/"2"'), ("W/1", "W/1")],
    ids=["missing", "strong", "wrong-version", "unquoted"],
)
def test_created_etag(etag: object, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_created(created(etag=etag), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", 'ETag W/"1" (the versionId)', actual)]


def test_created_status_not_booked() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_created(created(body=appointment(status="pending")), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", "status booked", "pending")]


@pytest.mark.parametrize(
    ("slots", "actual"),
    [
        ([{"reference": "Slot/slot2"}], "['Slot/slot2']"),
        ([], "[]"),
        ([{"reference": "Slot/slot1"}, {"reference": "Slot/slot2"}], "['Slot/slot1', 'Slot/slot2']"),
    ],
    ids=["other-slot", "none", "two"],
)
def test_created_wrong_slot(slots: list[Json], actual: str) -> None:
    body = {**appointment(), "slot": slots}
    with pytest.raises(CheckFailed) as raised:
        check_created(created(body=body), BASE, "slot1")
    assert findings(raised) == [("APPT-CREATE-01", "slot [Slot/slot1]", actual)]


def test_created_without_id_or_version_reports_everything() -> None:
    body = appointment()
    del body["id"], body["meta"]
    with pytest.raises(CheckFailed) as raised:
        check_created(created(body=body), BASE, "slot1")
    expected_location = f"{BASE}/Appointment/None/_history/"
    assert findings(raised) == [
        ("APPT-CREATE-01", "the Appointment to carry its id", "(absent)"),
        ("APPT-CREATE-01", "meta.versionId", "(empty)"),
        ("APPT-CREATE-01", f"Location {expected_location}", LOCATION),
        ("APPT-CREATE-01", 'ETag W/"" (the versionId)', 'W/"1"'),
    ]


# -- check_read (APPT-READ-01) -----------------------------------------------------------------------
def read(body: Json | None = None, etag: object = 'W/"1"', status: int = 200) -> HttpResponse:
    return response(status, appointment() if body is None else body, ETag=etag)


def test_read_passes() -> None:
    assert check_read(read(), "a1") == appointment()


def test_read_wrong_id() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_read(read(), "a2")
    assert findings(raised) == [("APPT-READ-01", "Appointment/a2", "a1")]


def test_read_without_version_id() -> None:
    body = appointment()
    del body["meta"]
    with pytest.raises(CheckFailed) as raised:
        check_read(read(body), "a1")
    assert findings(raised)[0] == ("APPT-READ-01", "meta.versionId", "(empty)")


@pytest.mark.parametrize(("etag", "actual"), [(ABSENT, "(absent)"), ('"1"', '"1"'), ('W/"0"', 'W/"0"')])
def test_read_etag(etag: object, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_read(read(etag=etag), "a1")
    assert findings(raised) == [("APPT-READ-01", 'ETag W/"1" (the versionId)', actual)]


def test_read_names_the_given_requirement() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_read(read(status=404), "a1", "APPT-CANCEL-01")
    assert findings(raised) == [("APPT-CANCEL-01", "HTTP 200", "HTTP 404")]
    with pytest.raises(CheckFailed) as raised:
        check_read(read(etag=ABSENT), "a1", "APPT-CANCEL-01")
    assert {f.requirement for f in raised.value.findings} == {"APPT-CANCEL-01"}


# -- check_version_kept (APPT-READ-03) ---------------------------------------------------------------
def test_version_kept_passes() -> None:
    check_version_kept(read(), "a1", "1", "booked")


@pytest.mark.parametrize(
    ("body", "expected", "actual"),
    [
        (appointment("2"), "versionId 1", "2"),
        (appointment(status="cancelled"), "status booked as it was", "cancelled"),
        ({**appointment(), "id": "a2"}, "Appointment/a1", "a2"),
    ],
    ids=["version", "status", "id"],
)
def test_version_kept_differs(body: Json, expected: str, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_version_kept(read(body), "a1", "1", "booked")
    assert findings(raised) == [("APPT-READ-03", expected, actual)]


def test_version_kept_not_readable() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_version_kept(read(status=404), "a1", "1", "booked")
    assert findings(raised) == [("APPT-READ-03", "HTTP 200", "HTTP 404")]


# -- check_patient_search (APPT-SEARCH-01) -----------------------------------------------------------
def search_bundle(full_url: str | None = LOCATION, version: str = "1") -> Json:
    other = {"fullUrl": f"{BASE}/Appointment/b1/_history/4", "resource": {**appointment("4"), "id": "b1"}}
    entry: Json = {"resource": appointment(version)}
    if full_url is not None:
        entry["fullUrl"] = full_url
    return {"resourceType": "Bundle", "type": "searchset", "entry": [other, entry]}


@pytest.mark.parametrize("base_url", [BASE, BASE + "/"])
def test_patient_search_passes(base_url: str) -> None:
    check_patient_search(search_bundle(), base_url, "a1")


def test_patient_search_missing_appointment() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_patient_search(search_bundle(), BASE, "a9")
    assert findings(raised) == [("APPT-SEARCH-01", "Appointment/a9 in the Bundle", "2 other entries")]


def test_patient_search_empty_bundle() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_patient_search({"resourceType": "Bundle", "type": "searchset"}, BASE, "a1")
    assert findings(raised) == [("APPT-SEARCH-01", "Appointment/a1 in the Bundle", "0 other entries")]


@pytest.mark.parametrize(
    ("full_url", "version", "actual"),
    [
        (f"{BASE}/Appointment/a1", "1", f"{BASE}/Appointment/a1"),
        (f"{BASE}/Appointment/a1/_history/1", "2", f"{BASE}/Appointment/a1/_history/1"),
        ("Appointment/a1/_history/1", "1", "Appointment/a1/_history/1"),
        (None, "1", "(absent)"),
    ],
    ids=["no-history", "wrong-version", "relative", "missing"],
)
def test_patient_search_full_url(full_url: str | None, version: str, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_patient_search(search_bundle(full_url, version), BASE, "a1")
    expected = f"fullUrl {BASE}/Appointment/a1/_history/{version}"
    assert findings(raised) == [("APPT-SEARCH-01", expected, actual)]


# -- check_cancelled (APPT-CANCEL-01) ----------------------------------------------------------------
def cancel_response(
    body: Json | None = None, etag: object = 'W/"2"', last_modified: object = LAST_MODIFIED, status: int = 200
) -> HttpResponse:
    body = appointment("2", "cancelled") if body is None else body
    return response(status, body, ETag=etag, Last_Modified=last_modified)


def test_cancelled_passes() -> None:
    assert check_cancelled(cancel_response(), "a1", "1") == appointment("2", "cancelled")


def test_cancelled_status_not_cancelled() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(appointment("2")), "a1", "1")
    assert findings(raised) == [("APPT-CANCEL-01", "status cancelled", "booked")]


def test_cancelled_same_version() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(appointment("1", "cancelled"), etag='W/"1"'), "a1", "1")
    assert findings(raised) == [("APPT-CANCEL-01", "a new versionId (was 1)", "1")]


def test_cancelled_wrong_id() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(), "a2", "1")
    assert findings(raised) == [("APPT-CANCEL-01", "Appointment/a2", "a1")]


@pytest.mark.parametrize(("etag", "actual"), [(ABSENT, "(absent)"), ('W/"1"', 'W/"1"'), ('"2"', '"2"')])
def test_cancelled_etag(etag: object, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(etag=etag), "a1", "1")
    assert findings(raised) == [("APPT-CANCEL-01", 'ETag W/"2" (the versionId)', actual)]


@pytest.mark.parametrize(
    ("last_modified", "actual"),
    [(ABSENT, "(absent)"), ("yesterday", "yesterday"), ("2025-05-01T10:00:00Z", "2025-05-01T10:00:00Z")],
    ids=["missing", "words", "iso-not-http-date"],
)
def test_cancelled_last_modified(last_modified: object, actual: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(last_modified=last_modified), "a1", "1")
    assert findings(raised) == [("APPT-CANCEL-01", "a Last-Modified HTTP date", actual)]


def test_cancelled_refused() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_cancelled(cancel_response(status=409), "a1", "1")
    assert findings(raised) == [("APPT-CANCEL-01", "HTTP 200", "HTTP 409")]


# -- usable_version ----------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [200, 201])
def test_usable_version_accepts_the_given_statuses(status: int) -> None:
    body, etag = usable_version(read(status=status, etag='W/"1"'), (200, 201), "APPT-CREATE-01")
    assert body == appointment()
    assert etag == 'W/"1"'


def test_usable_version_keeps_the_etag_header_as_sent() -> None:
    assert usable_version(read(etag='"strong-9"'), (200,), "APPT-READ-01")[1] == '"strong-9"'


def test_usable_version_derives_the_etag_from_the_version_id() -> None:
    assert usable_version(read(appointment("5"), etag=ABSENT), (200,), "APPT-READ-01")[1] == 'W/"5"'


def test_usable_version_other_status() -> None:
    with pytest.raises(CheckFailed) as raised:
        usable_version(read(status=201), (200,), "APPT-READ-01")
    assert findings(raised) == [("APPT-READ-01", "HTTP 200", "HTTP 201")]


def test_usable_version_without_id_or_version() -> None:
    body = appointment()
    del body["id"], body["meta"]
    with pytest.raises(CheckFailed) as raised:
        usable_version(read(body), (200,), "APPT-CANCEL-01")
    assert findings(raised) == [
        ("APPT-CANCEL-01", "the Appointment to carry its id", "(absent)"),
        ("APPT-CANCEL-01", "meta.versionId", "(empty)"),
    ]


def test_usable_version_not_an_appointment() -> None:
    with pytest.raises(CheckFailed) as raised:
        usable_version(response(200, b"not json"), (200,), "APPT-READ-01")
    assert findings(raised)[0][:2] == ("APPT-READ-01", "a JSON body")
