"""The Book request body the harness sends, built from the target's test patient and a slot."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from spine_conformance.config.model import PatientConfig
from spine_conformance.fhir.examples import document_reference
from spine_conformance.fhir.profiles_admin import VERIFICATION_STATUS_SYSTEM, VERIFICATION_STATUS_URL
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM, careconnect_profile

PATIENT_REF = "P1"
DOCUMENT_REF = "DOC1"


def contained_patient(patient: PatientConfig) -> dict[str, Any]:
    verified = {
        "url": VERIFICATION_STATUS_URL,
        "valueCodeableConcept": {
            "coding": [{"system": VERIFICATION_STATUS_SYSTEM, "code": "01", "display": "Number present and verified"}]
        },
    }
    return {
        "resourceType": "Patient",
        "id": PATIENT_REF,
        "meta": {"profile": [careconnect_profile("Patient")]},
        "identifier": [{"extension": [verified], "system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number}],
        "name": [{"use": "official", "family": patient.family, "given": list(patient.given)}],
        "gender": patient.gender,
        "birthDate": patient.birth_date,
        "address": [{"use": "home", "postalCode": patient.postcode}],
    }


def booking_request(patient: PatientConfig, slot: dict[str, Any], description: str) -> dict[str, Any]:
    """A CareConnect Appointment booking ``slot`` for ``patient`` (no id: the provider assigns it)."""
    document = document_reference(DOCUMENT_REF)
    document["identifier"][0]["value"] = str(uuid.uuid4())
    return {
        "resourceType": "Appointment",
        "meta": {"profile": [careconnect_profile("Appointment")]},
        "contained": [document, contained_patient(patient)],
        "status": "booked",
        "description": description,
        "start": slot["start"],
        "end": slot["end"],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "slot": [{"reference": f"Slot/{slot['id']}"}],
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
