"""META-01: the CapabilityStatement declares FHIR STU3 and the booking interactions."""

from __future__ import annotations

from typing import Any

from spine_conformance.findings import FindingCollector

# What a provider must declare to be usable for the six interactions (digest A3).
REQUIRED_INTERACTIONS = {
    "Slot": ("search-type",),
    "Appointment": ("create", "read", "vread", "update", "search-type"),
}


def check_capability_statement(statement: dict[str, Any]) -> None:
    out = FindingCollector()
    version = str(statement.get("fhirVersion", ""))
    out.expect(version.startswith("3.0."), "META-01", "fhirVersion 3.0.x (STU3)", statement.get("fhirVersion"))
    out.expect(statement.get("kind") == "instance", "META-01", "kind = instance", statement.get("kind"))
    formats = statement.get("format") or []
    out.expect(any("json" in str(f) for f in formats), "META-01", "a JSON format in format[]", formats)
    servers = [rest for rest in statement.get("rest") or [] if isinstance(rest, dict) and rest.get("mode") == "server"]
    if not out.expect(bool(servers), "META-01", "a rest entry with mode = server", statement.get("rest")):
        out.raise_if_any()
    declared: dict[str, set[str]] = {}
    for rest in servers:
        for resource in rest.get("resource") or []:
            if isinstance(resource, dict):
                found = {str(i.get("code")) for i in resource.get("interaction") or [] if isinstance(i, dict)}
                declared.setdefault(str(resource.get("type")), set()).update(found)
    for resource_type, codes in REQUIRED_INTERACTIONS.items():
        missing = [code for code in codes if code not in declared.get(resource_type, set())]
        out.expect(
            not missing,
            "META-01",
            f"{resource_type} interactions {', '.join(codes)}",
            f"missing {', '.join(missing)}" if missing else "",
        )
    out.raise_if_any()
