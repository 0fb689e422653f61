"""META-02: what the CapabilityStatement says about the implementation (advisory).

The 2.x CapabilityStatement page requires only a 200 and a standard CapabilityStatement; its
example, which providers "should use as a base", names the publisher and software, both formats,
the CareConnect profiles of the resources served, the Slot and Appointment search parameters with
their types and the six Slot ``_include``s. Each element missing is an advisory finding.
"""

from __future__ import annotations

from typing import Any

from spine_conformance.fhir.media import declared_formats
from spine_conformance.fhir.profiles_common import careconnect_profile
from spine_conformance.findings import FindingCollector
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, SLOT_INCLUDES, SLOT_SERVICE_PARAMETER

# Search parameters and their types; a name in a tuple may be written either way (seed or 2.x page).
SEARCH_PARAMETERS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "Slot": (((SLOT_SERVICE_PARAMETER, "service"), "token"), (("status",), "token"), (("start",), "date")),
    "Appointment": (((PATIENT_SEARCH_PARAMETER, "identifier"), "token"),),
}
SERVED = ("Slot", "Appointment", "Schedule", "HealthcareService")


def _resources(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for rest in statement.get("rest") or []:
        if isinstance(rest, dict) and rest.get("mode") == "server":
            for resource in rest.get("resource") or []:
                if isinstance(resource, dict):
                    found.setdefault(str(resource.get("type")), resource)
    return found


def _include_key(text: str) -> str:
    # The 2.x example writes "Slot.schedule" and "HealthcareService:location": the separator is not judged.
    return text.replace(".", ":")


def check_capability_content(statement: dict[str, Any]) -> None:
    out = FindingCollector()
    rid = "META-02"
    out.expect(bool(statement.get("publisher")), rid, "a publisher", statement.get("publisher"))
    software = statement.get("software")
    software = software if isinstance(software, dict) else {}
    out.expect(bool(software.get("name")) and bool(software.get("version")), rid, "software name and version", software)
    out.expect(declared_formats(statement) == {"json", "xml"}, rid, "both formats declared", statement.get("format"))
    resources = _resources(statement)
    profiles = {str(p.get("reference")) for p in statement.get("profile") or [] if isinstance(p, dict)}
    profiles |= {str((r.get("profile") or {}).get("reference")) for r in resources.values()}
    missing = [name for name in SERVED if careconnect_profile(name) not in profiles]
    out.expect(not missing, rid, "the CareConnect profiles of the resources served", f"none for {', '.join(missing)}")
    for resource_type, wanted in SEARCH_PARAMETERS.items():
        declared = {
            str(p.get("name")): str(p.get("type"))
            for p in (resources.get(resource_type) or {}).get("searchParam") or []
            if isinstance(p, dict)
        }
        for names, kind in wanted:
            typed = [name for name in names if declared.get(name) == kind]
            out.expect(bool(typed), rid, f"{resource_type} searchParam {' or '.join(names)} of type {kind}", declared)
    includes = {_include_key(str(i)) for i in (resources.get("Slot") or {}).get("searchInclude") or []}
    absent = [i for i in SLOT_INCLUDES if _include_key(i) not in includes]
    out.expect(not absent, rid, "the six Slot searchIncludes", f"missing {', '.join(absent)}")
    out.raise_if_any()
