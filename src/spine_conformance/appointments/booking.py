"""The Book request body the harness sends, built from the target's test patient and a slot.

It follows the Booking edition the target follows ([spec] edition): the seed pages reference the
Slot as ``Slot/<id>``; the 2.x pages carry the Slot contained in the Appointment and reference it as
``#<id>`` (BK-head appointment.md: contained[2], slot ``#slot002``), as the TKW pack's requests do,
with the contained Slot's id the provider's own slot id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from spine_conformance.config.model import PatientConfig
from spine_conformance.fhir.examples import document_reference
from spine_conformance.fhir.profiles_admin import VERIFICATION_STATUS_SYSTEM, VERIFICATION_STATUS_URL
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM, RFC4122_SYSTEM, careconnect_profile

PATIENT_REF = "P1"
DOCUMENT_REF = "DOC1"
COMMENT = "Spine Conformance test booking"
# A fictional number (Ofcom's range for drama) for the telecom the Booking pages ask of the Patient.
PATIENT_PHONE = "01632 960001"
CONTACT_PHONE = "01632 960002"


def contained_patient(patient: PatientConfig, edition: str = "1") -> dict[str, Any]:
    verified = {
        "url": VERIFICATION_STATUS_URL,
        "valueCodeableConcept": {
            "coding": [{"system": VERIFICATION_STATUS_SYSTEM, "code": "01", "display": "Number present and verified"}]
        },
    }
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": PATIENT_REF,
        "meta": {"profile": [careconnect_profile("Patient")]},
        "identifier": [{"extension": [verified], "system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number}],
        "name": [{"use": "official", "family": patient.family, "given": list(patient.given)}],
        # BK-seed patient.md: telecom [1..1]; the 2.x pages rank it (exactly one rank 1, as TKW checks).
        "telecom": [{"system": "phone", "value": PATIENT_PHONE, "use": "home", "rank": 1}],
        "gender": patient.gender,
        "birthDate": patient.birth_date,
        "address": [{"use": "home", "postalCode": patient.postcode}],
    }
    if edition == "2":
        # BK-head patient.md: "If [telecom] is populated then contact.telecom and contact.name must be populated."
        resource["contact"] = [
            {
                "name": {"use": "official", "family": patient.family, "given": ["Contact"]},
                "telecom": [{"system": "phone", "value": CONTACT_PHONE, "use": "mobile", "rank": 2}],
            }
        ]
    return resource


def contained_slot(slot: dict[str, Any]) -> dict[str, Any]:
    """The searched Slot as the 2.x pages contain it: its id, rfc4122 identifier, schedule, status and times."""
    identifiers = [i for i in slot.get("identifier") or [] if isinstance(i, dict) and i.get("value")]
    if not identifiers:  # every 2.x Slot has one (BK-head slot.md identifier [1..1]); never send none
        identifiers = [{"system": RFC4122_SYSTEM, "value": str(uuid.uuid5(uuid.NAMESPACE_URL, str(slot["id"])))}]
    return {
        "resourceType": "Slot",
        "id": str(slot["id"]),
        "meta": {"profile": [careconnect_profile("Slot")]},
        "identifier": identifiers[:1],
        "schedule": slot.get("schedule") or {},
        "status": slot.get("status", "free"),
        "start": slot["start"],
        "end": slot["end"],
    }


def slot_reference(slot: dict[str, Any], edition: str = "1") -> str:
    return f"#{slot['id']}" if edition == "2" else f"Slot/{slot['id']}"


def booking_request(
    patient: PatientConfig, slot: dict[str, Any], description: str, edition: str = "1"
) -> dict[str, Any]:
    """A CareConnect Appointment booking ``slot`` for ``patient`` (no id: the provider assigns it)."""
    document = document_reference(DOCUMENT_REF)
    document["identifier"][0]["value"] = str(uuid.uuid4())
    contained = [document, contained_patient(patient, edition)]
    if edition == "2":
        contained.append(contained_slot(slot))
    return {
        "resourceType": "Appointment",
        "meta": {"profile": [careconnect_profile("Appointment")]},
        "contained": contained,
        "status": "booked",
        "description": description,
        "comment": COMMENT,
        "start": slot["start"],
        "end": slot["end"],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "slot": [{"reference": slot_reference(slot, edition)}],
        "supportingInformation": [{"reference": f"#{DOCUMENT_REF}"}],
        "participant": [
            {
                "actor": {
                    "reference": f"#{PATIENT_REF}",
                    "identifier": {"use": "official", "system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number},
                },
                "status": "accepted",
            }
        ],
    }
