"""Small JSON helpers shared by the profile rules and the booking rules.

They work on plain decoded JSON (``Mapping``/``list``), never on pydantic models, so that the rules
still run (and report precisely) on resources the STU3 model rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from .outcome import Issue
from .rule_sources import Rule

CARECONNECT_PREFIX = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_ORGANIZATION_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SDS_USER_SYSTEM = "https://fhir.nhs.uk/Id/sds-user-id"
RFC4122_SYSTEM = "https://tools.ietf.org/html/rfc4122"

ProfileCheck = Callable[[Mapping[str, Any], str], list[Issue]]  # (resource, its FHIRPath) -> issues
ProfileRule = Rule[ProfileCheck]


def careconnect_profile(resource_type: str) -> str:
    return f"{CARECONNECT_PREFIX}{resource_type}-1"


def violation(expression: str, diagnostics: str, code: str = "invariant") -> Issue:
    """An issue of a rule function. Its severity here is a placeholder: the rule table that runs the
    function (:class:`~.rule_sources.Rule`) decides it, together with the rule's source."""
    return Issue("error", code, diagnostics, expression)


def sanity_note(profile: str) -> str:
    """The diagnostics tail of an advisory rule: what it is not."""
    return f"a sanity check, not a rule of {profile}"


def text(value: Any) -> str:
    """``value`` if it is a non-blank string, else "" (so absent, null and wrong types read alike)."""
    return value if isinstance(value, str) and value.strip() else ""


def items(node: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The object entries of a list element (a lone object counts as a one-entry list)."""
    value = node.get(key)
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, Mapping)]


def child(node: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = node.get(key)
    return value if isinstance(value, Mapping) else {}


def identifiers_complete(resource: Mapping[str, Any], base: str, profile: str, note: str = "") -> list[Issue]:
    """Every identifier (if any) has both system and value; ``note`` qualifies an advisory use."""
    tail = f" ({note})" if note else ""
    return [
        violation(f"{base}.identifier[{index}].{key}", f"{profile}: identifier.{key} is required{tail}", "required")
        for index, identifier in items(resource, "identifier")
        for key in ("system", "value")
        if not text(identifier.get(key))
    ]


def require_elements(resource: Mapping[str, Any], base: str, profile: str, *keys: str) -> list[Issue]:
    """Each of ``keys`` present and non-empty (strings, objects or lists)."""
    return [
        violation(f"{base}.{key}", f"{profile}: {key} is required", "required")
        for key in keys
        if not present(resource.get(key))
    ]


def present(value: Any) -> bool:
    """FHIR JSON never carries empty values, so blank strings and empty lists/objects are absent."""
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != {}


def find_identifier(node: Mapping[str, Any], system: str) -> tuple[int, Mapping[str, Any]] | None:
    """The first ``identifier`` entry with ``system`` (index and entry), if any."""
    for index, identifier in items(node, "identifier"):
        if identifier.get("system") == system:
            return index, identifier
    return None


def parse_datetime(value: Any) -> datetime | None:
    """A FHIR instant/dateTime with a time part as an aware datetime (naive → UTC); else None."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def contained_by_id(resource: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {text(entry.get("id")): entry for _, entry in items(resource, "contained") if text(entry.get("id"))}


def walk_references(node: Any, expression: str) -> Iterator[tuple[str, str]]:
    """Every ``reference`` string below ``node``, with the FHIRPath of its ``reference`` element."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            path = f"{expression}.{key}"
            if key == "reference" and isinstance(value, str):
                yield path, value
            else:
                yield from walk_references(value, path)
    elif isinstance(node, list):
        for index, entry in enumerate(node):
            yield from walk_references(entry, f"{expression}[{index}]")


def reference_type(reference: str) -> str:
    """The resource type named by a relative or absolute literal reference ("" if none)."""
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else ""


def patient_actor(appointment: Mapping[str, Any]) -> Iterator[tuple[int, Mapping[str, Any], str]]:
    """Participants that name a patient: (index, actor, NHS number or "")."""
    contained = contained_by_id(appointment)
    for index, participant in items(appointment, "participant"):
        actor = child(participant, "actor")
        nhs = _actor_nhs_number(actor, contained)
        reference = text(actor.get("reference"))
        if nhs is not None or _refers_to_patient(reference, contained):
            yield index, actor, nhs or ""


def _actor_nhs_number(actor: Mapping[str, Any], contained: Mapping[str, Mapping[str, Any]]) -> str | None:
    identifier = child(actor, "identifier")
    if identifier.get("system") == NHS_NUMBER_SYSTEM:
        return text(identifier.get("value"))
    reference = text(actor.get("reference"))
    target = contained.get(reference[1:]) if reference.startswith("#") else None
    if target is not None and target.get("resourceType") == "Patient":
        found = find_identifier(target, NHS_NUMBER_SYSTEM)
        if found is not None:
            return text(found[1].get("value"))
    return None


def _refers_to_patient(reference: str, contained: Mapping[str, Mapping[str, Any]]) -> bool:
    if reference.startswith("#"):
        target = contained.get(reference[1:])
        return target is not None and target.get("resourceType") == "Patient"
    return reference_type(reference) == "Patient"
