"""Appointment checks: create, read, vread, patient search and cancel (APPT-*)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from spine_conformance.checks.responses import check_status, resource_body
from spine_conformance.checks.slots import entries, reference_key
from spine_conformance.fhir.versioning import if_match_for, version_of, weak_etag
from spine_conformance.findings import FindingCollector, require
from spine_conformance.http import HttpResponse


def _versioned_resource(out: FindingCollector, requirement: str, resource: dict[str, Any]) -> str:
    out.expect(bool(resource.get("id")), requirement, "the Appointment to carry its id", resource.get("id"))
    version = version_of(resource)
    out.expect(bool(version), requirement, "meta.versionId", version)
    return version


def _etag(out: FindingCollector, requirement: str, response: HttpResponse, version: str) -> None:
    etag = response.headers.get("etag")
    out.expect(etag == weak_etag(version), requirement, f"ETag {weak_etag(version)} (the versionId)", etag)


def booked_slot_keys(appointment: dict[str, Any], slot_identifiers: Collection[str] = ()) -> list[str]:
    """``Slot/<id>`` for each slot reference; a ``#<id>`` reference (Booking 2.x) names a contained Slot,
    read as ``Slot/<its id>``, or as the slot its identifier names when the provider renamed it."""
    contained = {
        str(item.get("id")): item
        for item in appointment.get("contained") or []
        if isinstance(item, dict) and item.get("resourceType") == "Slot"
    }
    keys = []
    for reference in appointment.get("slot") or []:
        text = str(reference.get("reference", "")) if isinstance(reference, dict) else ""
        if not text.startswith("#"):
            keys.append(reference_key(text))
            continue
        slot = contained.get(text[1:], {})
        values = {str(i.get("value")) for i in slot.get("identifier") or [] if isinstance(i, dict)}
        keys.append(f"Slot/{text[1:]}" if not values & set(slot_identifiers) else "Slot/(identified)")
    return keys


def check_created(
    response: HttpResponse, base_url: str, slot_id: str, slot_identifiers: Collection[str] = ()
) -> dict[str, Any]:
    """APPT-CREATE-01: 201, absolute Location …/Appointment/{id}/_history/{vid}, ETag, body with id and version."""
    check_status(response, 201, "APPT-CREATE-01")
    appointment = resource_body(response, "Appointment", "APPT-CREATE-01")
    out = FindingCollector()
    version = _versioned_resource(out, "APPT-CREATE-01", appointment)
    expected = f"{base_url.rstrip('/')}/Appointment/{appointment.get('id')}/_history/{version}"
    out.expect(
        response.headers.get("location") == expected,
        "APPT-CREATE-01",
        f"Location {expected}",
        response.headers.get("location"),
    )
    _etag(out, "APPT-CREATE-01", response, version)
    out.expect(appointment.get("status") == "booked", "APPT-CREATE-01", "status booked", appointment.get("status"))
    booked = booked_slot_keys(appointment, slot_identifiers)
    wanted = [f"Slot/{slot_id}"]
    out.expect(booked in (wanted, ["Slot/(identified)"]), "APPT-CREATE-01", f"slot [Slot/{slot_id}]", booked)
    out.raise_if_any()
    return appointment


def check_read(response: HttpResponse, appointment_id: str, requirement: str = "APPT-READ-01") -> dict[str, Any]:
    """200, the Appointment asked for, meta.versionId and ETag W/"<versionId>"."""
    check_status(response, 200, requirement)
    appointment = resource_body(response, "Appointment", requirement)
    out = FindingCollector()
    out.expect(
        appointment.get("id") == appointment_id, requirement, f"Appointment/{appointment_id}", appointment.get("id")
    )
    version = _versioned_resource(out, requirement, appointment)
    _etag(out, requirement, response, version)
    out.raise_if_any()
    return appointment


def check_version_kept(response: HttpResponse, appointment_id: str, version: str, status: str) -> None:
    """APPT-READ-03: an earlier version is still readable, as it was."""
    check_status(response, 200, "APPT-READ-03")
    appointment = resource_body(response, "Appointment", "APPT-READ-03")
    out = FindingCollector()
    out.expect(
        appointment.get("id") == appointment_id, "APPT-READ-03", f"Appointment/{appointment_id}", appointment.get("id")
    )
    out.expect(version_of(appointment) == version, "APPT-READ-03", f"versionId {version}", version_of(appointment))
    out.expect(
        appointment.get("status") == status, "APPT-READ-03", f"status {status} as it was", appointment.get("status")
    )
    out.raise_if_any()


def check_patient_search(
    bundle: dict[str, Any], base_url: str, appointment_id: str, requirement: str = "APPT-SEARCH-01"
) -> None:
    """APPT-SEARCH-01: the booked appointment is found, its fullUrl naming its version."""
    found = [e for e in entries(bundle) if (e.get("resource") or {}).get("id") == appointment_id]
    require(
        bool(found),
        requirement,
        f"Appointment/{appointment_id} in the Bundle",
        f"{len(entries(bundle))} other entries",
    )
    entry = found[0]
    version = version_of(entry.get("resource") or {})
    expected = f"{base_url.rstrip('/')}/Appointment/{appointment_id}/_history/{version}"
    require(entry.get("fullUrl") == expected, requirement, f"fullUrl {expected}", entry.get("fullUrl"))


def check_cancelled(response: HttpResponse, appointment_id: str, previous_version: str) -> dict[str, Any]:
    """APPT-CANCEL-01: 200, status cancelled, a new version, ETag and Last-Modified."""
    check_status(response, 200, "APPT-CANCEL-01")
    appointment = resource_body(response, "Appointment", "APPT-CANCEL-01")
    out = FindingCollector()
    out.expect(
        appointment.get("id") == appointment_id,
        "APPT-CANCEL-01",
        f"Appointment/{appointment_id}",
        appointment.get("id"),
    )
    out.expect(
        appointment.get("status") == "cancelled", "APPT-CANCEL-01", "status cancelled", appointment.get("status")
    )
    version = _versioned_resource(out, "APPT-CANCEL-01", appointment)
    out.expect(
        bool(version) and version != previous_version,
        "APPT-CANCEL-01",
        f"a new versionId (was {previous_version})",
        version,
    )
    _etag(out, "APPT-CANCEL-01", response, version)
    modified = response.headers.get("last-modified")
    out.expect(_http_date(modified) is not None, "APPT-CANCEL-01", "a Last-Modified HTTP date", modified)
    out.raise_if_any()
    return appointment


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


# -- set-up: only what later steps need ---------------------------------------------------------------
# A scenario's set-up (book a slot, read it, cancel it) asks no more than it needs, so one defect
# (a relative Location, say) fails its own requirement's scenario without blocking all the others.


def usable_version(response: HttpResponse, statuses: tuple[int, ...], requirement: str) -> tuple[dict[str, Any], str]:
    """An Appointment with an id and a version, and the If-Match value to update it with."""
    check_status(response, statuses, requirement)
    appointment = resource_body(response, "Appointment", requirement)
    out = FindingCollector()
    _versioned_resource(out, requirement, appointment)
    out.raise_if_any()
    return appointment, if_match_for(response.headers.get("etag"), appointment)
