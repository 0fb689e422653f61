"""Canonical valid booking resources (fresh copies on every call).

They pass :func:`~.validator.validate_resource` with no issue at all, so tests, checks and docs can
start from a known-good resource and change one thing. The Appointment is the Book request body of
the digest (A3) with the DEMO/TKW test identifiers (A7).
"""

from __future__ import annotations

from typing import Any

from .profiles_admin import DOCUMENT_TYPE_SYSTEM, VERIFICATION_STATUS_SYSTEM, VERIFICATION_STATUS_URL
from .profiles_common import (
    NHS_NUMBER_SYSTEM,
    ODS_ORGANIZATION_SYSTEM,
    RFC4122_SYSTEM,
    SDS_USER_SYSTEM,
    careconnect_profile,
)

Json = dict[str, Any]
EXAMPLE_NHS_NUMBER = "9434765919"
EXAMPLE_BASE = "https://provider.example.org/STU3/1"
SLOT_UUID = "5a889965-3db4-4c29-8003-676c247a763e"  # the TKW pack's contained Slot identifier


def _meta(resource_type: str) -> Json:
    return {"profile": [careconnect_profile(resource_type)]}


def patient(resource_id: str = "P1") -> Json:
    verification = {
        "url": VERIFICATION_STATUS_URL,
        "valueCodeableConcept": {
            "coding": [{"system": VERIFICATION_STATUS_SYSTEM, "code": "01", "display": "Number present and verified"}]
        },
    }
    return {
        "resourceType": "Patient",
        "id": resource_id,
        "meta": _meta("Patient"),
        "identifier": [
            {
                "extension": [verification],
                "use": "official",
                "system": NHS_NUMBER_SYSTEM,
                "value": EXAMPLE_NHS_NUMBER,
            }
        ],
        "name": [{"use": "official", "prefix": ["Mr"], "given": ["John"], "family": "Smith"}],
        "telecom": [{"system": "phone", "value": "01234567890", "use": "home", "rank": 1}],
        "gender": "male",
        "birthDate": "1974-12-25",
        "address": [{"use": "home", "line": ["1 High Street"], "city": "Leeds", "postalCode": "LS1 4HR"}],
    }


def document_reference(resource_id: str = "123") -> Json:
    return {
        "resourceType": "DocumentReference",
        "id": resource_id,
        "meta": _meta("DocumentReference"),
        "identifier": [{"system": RFC4122_SYSTEM, "value": "A709A442-3CF4-476E-8377-376500E829C9"}],
        "status": "current",
        "type": {
            "coding": [
                {
                    "system": DOCUMENT_TYPE_SYSTEM,
                    "code": "POCD_MT200001GB02",
                    "display": "Integrated Urgent Care Report",
                }
            ]
        },
        "indexed": "2019-03-01T10:00:00+00:00",
        "content": [{"attachment": {"contentType": "application/hl7-v3+xml", "language": "en"}}],
    }


def booking_appointment() -> Json:
    """A complete Book request: contained DocumentReference ``#123`` and Patient ``#P1``, no id."""
    actor_identifier = {"use": "official", "system": NHS_NUMBER_SYSTEM, "value": EXAMPLE_NHS_NUMBER}
    return {
        "resourceType": "Appointment",
        "meta": _meta("Appointment"),
        "contained": [document_reference("123"), patient("P1")],
        "status": "booked",
        "description": "Reason for calling",
        "start": "2025-05-01T09:00:00+00:00",
        "end": "2025-05-01T09:15:00+00:00",
        "created": "2025-04-30T10:00:00+00:00",
        "slot": [{"reference": "Slot/slot002"}],
        "supportingInformation": [{"reference": "#123"}],
        "participant": [{"actor": {"reference": "#P1", "identifier": actor_identifier}, "status": "accepted"}],
    }


def booking_appointment_2x() -> Json:
    """The Book request of the 2.x pages: the Slot contained (``#slot002``), the Patient with a ranked
    telecom and a contact (BK-head appointment.md, patient.md)."""
    appointment = booking_appointment()
    contained_slot = {**slot(2), "identifier": [{"system": RFC4122_SYSTEM, "value": SLOT_UUID}]}
    contained_slot.update(start=appointment["start"], end=appointment["end"])
    appointment["contained"].append(contained_slot)
    appointment["slot"] = [{"reference": "#slot002"}]
    appointment["contained"][1]["contact"] = [
        {
            "name": {"use": "official", "family": "Smith", "given": ["Jane"]},
            "telecom": [{"system": "phone", "value": "01234567891", "use": "mobile", "rank": 2}],
        }
    ]
    return appointment


def slot(index: int = 1, schedule_id: str = "sched1111") -> Json:
    """Free 15-minute slot number ``index`` (slot001 starts 09:15), as the DEMO data lays them out."""
    start, end = 9 * 60 + 15 * index, 9 * 60 + 15 * (index + 1)
    return {
        "resourceType": "Slot",
        "id": f"slot{index:03}",
        "meta": _meta("Slot"),
        "identifier": [{"system": f"{EXAMPLE_BASE}/Slot", "value": f"slot{index:03}"}],
        "schedule": {"reference": f"Schedule/{schedule_id}"},
        "status": "free",
        "start": f"2025-05-01T{start // 60:02}:{start % 60:02}:00+00:00",
        "end": f"2025-05-01T{end // 60:02}:{end % 60:02}:00+00:00",
    }


def schedule() -> Json:
    return {
        "resourceType": "Schedule",
        "id": "sched1111",
        "meta": _meta("Schedule"),
        "actor": [{"reference": "HealthcareService/918999198999"}, {"reference": "Practitioner/ABCD123456"}],
    }


def healthcare_service() -> Json:
    return {
        "resourceType": "HealthcareService",
        "id": "918999198999",
        "meta": _meta("HealthcareService"),
        "name": "Service One",
        "providedBy": {"reference": "Organization/A91545"},
        "location": [{"reference": "Location/loc1111"}],
    }


def location() -> Json:
    return {"resourceType": "Location", "id": "loc1111", "meta": _meta("Location"), "name": "Location One"}


def organization() -> Json:
    return {
        "resourceType": "Organization",
        "id": "A91545",
        "meta": _meta("Organization"),
        "identifier": [{"system": ODS_ORGANIZATION_SYSTEM, "value": "A91545"}],
        "name": "Test Surgery",
    }


def practitioner() -> Json:
    return {
        "resourceType": "Practitioner",
        "id": "ABCD123456",
        "meta": _meta("Practitioner"),
        "identifier": [{"system": SDS_USER_SYSTEM, "value": "111222333444"}],
        "name": [{"family": "Jones", "given": ["Ann"], "prefix": ["Dr"]}],
        "gender": "female",
    }


def practitioner_role() -> Json:
    return {
        "resourceType": "PractitionerRole",
        "id": "R0260",
        "meta": _meta("PractitionerRole"),
        "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "R0260"}],
        "practitioner": {"reference": "Practitioner/ABCD123456"},
        "organization": {"reference": "Organization/A91545"},
    }


def device() -> Json:
    """The minimal Device of the JWT ``requesting_device`` claim."""
    return {
        "resourceType": "Device",
        "identifier": [{"system": "https://consumersupplier.thirdparty.nhs.uk/", "value": "device-1"}],
        "model": "Consumer System",
        "version": "1.0",
    }


def capability_statement() -> Json:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2025-01-01",
        "kind": "instance",
        "fhirVersion": "3.0.2",
        "acceptUnknown": "no",
        "format": ["application/fhir+json"],
    }


def searchset(resources: list[Json]) -> Json:
    """A searchset Bundle: Slots are matches, everything else is an include."""
    return {
        "resourceType": "Bundle",
        "id": "search1",
        "type": "searchset",
        "total": sum(1 for r in resources if r["resourceType"] == "Slot"),
        "entry": [
            {
                "fullUrl": f"{EXAMPLE_BASE}/{r['resourceType']}/{r.get('id', 'x')}",
                "resource": r,
                "search": {"mode": "match" if r["resourceType"] == "Slot" else "include"},
            }
            for r in resources
        ],
    }


def slot_search_bundle(slot_count: int = 34) -> Json:
    """A slot search result with its includes: ``slot_count`` Slots plus six included resources."""
    if not 0 <= slot_count <= 58:  # the slots are laid out on one day
        raise ValueError("slot_count must be between 0 and 58")
    includes = [
        schedule(),
        healthcare_service(),
        location(),
        organization(),
        practitioner(),
        practitioner_role(),
    ]
    return searchset([slot(index) for index in range(1, slot_count + 1)] + includes)
