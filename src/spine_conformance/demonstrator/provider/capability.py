"""The demonstrator's CapabilityStatement (read:metadata)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spine_conformance import __version__
from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.seed import CC
from spine_conformance.fhir.media import FHIR_JSON, FHIR_XML
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, SLOT_INCLUDES

# The resources the provider serves, whose CareConnect profiles it declares (as the 2.x template does).
SERVED_PROFILES = (
    "Slot", "Schedule", "HealthcareService", "Appointment", "Patient", "DocumentReference",
    "Practitioner", "PractitionerRole", "Organization", "Location",
)  # fmt: skip


def capability_statement(base_url: str, faults: FaultSet) -> dict[str, Any]:
    statement = _statement(base_url, faults)
    if faults.on("metadata-sparse"):  # only what FHIR itself requires
        for key in ("publisher", "software", "profile"):
            statement.pop(key)
        for resource in statement["rest"][0]["resource"]:
            for key in ("profile", "searchParam", "searchInclude"):
                resource.pop(key, None)
    return statement


def _statement(base_url: str, faults: FaultSet) -> dict[str, Any]:
    appointment_interactions = ["read", "vread", "create", "update", "search-type"]
    if faults.on("metadata-missing-interactions"):
        appointment_interactions.remove("update")
    return {
        "resourceType": "CapabilityStatement",
        "id": "spine-conformance-demonstrator",
        "url": f"{base_url}/metadata",
        "version": __version__,
        "name": "SpineConformanceDemonstrator",
        "status": "published" if faults.on("metadata-invalid-resource") else "active",
        "date": datetime.now(UTC).date().isoformat(),
        "publisher": "Spine Conformance",
        "kind": "instance",
        "software": {"name": "Spine Conformance demonstrator provider", "version": __version__},
        "implementation": {"description": "Reference appointments provider", "url": base_url},
        "fhirVersion": "1.0.2" if faults.on("metadata-wrong-fhir-version") else "3.0.1",
        "acceptUnknown": "no",
        "format": [FHIR_JSON] if faults.on("xml-not-served") else [FHIR_JSON, FHIR_XML],
        "profile": [{"reference": CC.format(name)} for name in SERVED_PROFILES],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": True,
                    "description": "Unsigned JWT (alg none) bearer token as the UEC claim list describes",
                },
                "resource": [
                    {
                        "type": "Slot",
                        "profile": {"reference": CC.format("Slot")},
                        "interaction": [{"code": "search-type"}],
                        "searchInclude": list(SLOT_INCLUDES),
                        "searchParam": [
                            {"name": "schedule.actor:healthcareservice", "type": "token"},
                            {"name": "status", "type": "token"},
                            {"name": "start", "type": "date"},
                        ],
                    },
                    {
                        "type": "Appointment",
                        "profile": {"reference": CC.format("Appointment")},
                        "interaction": [{"code": code} for code in appointment_interactions],
                        "versioning": "versioned-update",
                        "readHistory": True,
                        "updateCreate": False,
                        "searchParam": [{"name": PATIENT_SEARCH_PARAMETER, "type": "token"}],
                    },
                ],
            }
        ],
    }
