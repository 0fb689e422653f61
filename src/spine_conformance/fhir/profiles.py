"""CareConnect STU3 profile rules (the subset the booking API relies on).

Each rule is a small function ``(resource, base) -> list[Issue]`` where ``base`` is the FHIRPath of
the resource itself (``Appointment``, ``Bundle.entry[3].resource``, ``Appointment.contained[0]``),
so expressions stay precise for nested resources. :data:`PROFILE_RULES` maps a resource type to its
rules; :func:`profile_issues` runs them plus the ``meta.profile`` consistency check.

The rules for a type apply whether or not ``meta.profile`` claims the CareConnect profile: booking
resources are CareConnect resources by contract, so an unclaimed profile is not an excuse. They
report as errors, except a missing Patient birthDate or NHS-number verification-status extension
(warnings: the booking guidance only expects them). Unknown profile URLs are ignored.

"Every ``#id`` reference resolves to a contained resource" is not here: it holds for every resource,
so the validator checks it as a core rule (ref-1) even with ``profile_rules=False``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .outcome import Issue
from .profiles_admin import ADMIN_RULES
from .profiles_common import (
    CARECONNECT_PREFIX,
    child,
    contained_by_id,
    error,
    identifiers_complete,
    items,
    parse_datetime,
    patient_actor,
    require_elements,
    text,
    warning,
)

Rule = Callable[[Mapping[str, Any], str], list[Issue]]

SPINE_PROFILES: dict[str, str] = {
    "https://fhir.nhs.uk/STU3/StructureDefinition/Spine-OperationOutcome-1": "OperationOutcome",
}
_SLOT_REFERENCE = re.compile(r"^Slot/[A-Za-z0-9\-.]{1,64}$")


def _period(resource: Mapping[str, Any], base: str, profile: str) -> list[Issue]:
    """start and end present; an end not after its start is only a warning (a sanity check).

    Neither CareConnect nor FHIR STU3 constrains the order of Appointment.start/end or
    Slot.start/end (they are instants, not a Period, so per-1 does not apply), so it never
    makes a resource invalid.
    """
    issues = [
        error(f"{base}.{key}", f"{profile}: {key} is required", "required")
        for key in ("start", "end")
        if not text(resource.get(key))
    ]
    start, end = parse_datetime(resource.get("start")), parse_datetime(resource.get("end"))
    if start is not None and end is not None and end <= start:
        issues.append(
            warning(
                f"{base}.end",
                f"end ({resource['end']}) is not after start: a sanity check, not a rule of {profile} or FHIR STU3",
            )
        )
    return issues


# --- Appointment -----------------------------------------------------------------------------------

_APPOINTMENT = "CareConnect-Appointment-1"


def appointment_period(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _period(resource, base, _APPOINTMENT)


def appointment_patient(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """At least one participant, and one of them identifies the patient."""
    if not items(resource, "participant"):
        return [error(f"{base}.participant", f"{_APPOINTMENT}: at least one participant is required", "required")]
    if any(True for _ in patient_actor(resource)):
        return []
    return [
        error(
            f"{base}.participant",
            f"{_APPOINTMENT}: no participant identifies the patient (actor.identifier with system "
            "https://fhir.nhs.uk/Id/nhs-number, or actor.reference to a Patient)",
        )
    ]


def appointment_slots(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """slot references are ``Slot/<id>`` or ``#<id>`` of a contained Slot."""
    contained = contained_by_id(resource)
    issues: list[Issue] = []
    for index, slot in items(resource, "slot"):
        reference, where = text(slot.get("reference")), f"{base}.slot[{index}].reference"
        if reference.startswith("#"):
            target = contained.get(reference[1:])
            if target is not None and target.get("resourceType") != "Slot":
                issues.append(error(where, f"{_APPOINTMENT}: slot reference {reference} is not a contained Slot"))
        elif not _SLOT_REFERENCE.match(reference):
            issues.append(
                error(
                    where,
                    f"{_APPOINTMENT}: slot reference {reference or '(none)'!r} is not 'Slot/<id>' or '#<id>'",
                )
            )
    return issues


# --- Slot, Schedule, HealthcareService, Location ---------------------------------------------------

_SLOT = "CareConnect-Slot-1"


def slot_required(resource: Mapping[str, Any], base: str) -> list[Issue]:
    issues = require_elements(resource, base, _SLOT, "status")
    if not text(child(resource, "schedule").get("reference")):
        issues.append(error(f"{base}.schedule", f"{_SLOT}: schedule.reference is required", "required"))
    return issues


def slot_period(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _period(resource, base, _SLOT)


def slot_identifiers(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return identifiers_complete(resource, base, _SLOT)


def schedule_actor(resource: Mapping[str, Any], base: str) -> list[Issue]:
    if items(resource, "actor"):
        return []
    return [error(f"{base}.actor", "CareConnect-Schedule-1: at least one actor is required", "required")]


def healthcare_service(resource: Mapping[str, Any], base: str) -> list[Issue]:
    issues = require_elements(resource, base, "CareConnect-HealthcareService-1", "name")
    provided_by = resource.get("providedBy")
    if provided_by is not None and not text(child(resource, "providedBy").get("reference")):
        issues.append(
            error(
                f"{base}.providedBy.reference",
                "CareConnect-HealthcareService-1: providedBy must be a literal reference",
                "required",
            )
        )
    return issues


def location_name(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return require_elements(resource, base, "CareConnect-Location-1", "name")


PROFILE_RULES: dict[str, tuple[Rule, ...]] = {
    "Appointment": (appointment_period, appointment_patient, appointment_slots),
    "Slot": (slot_required, slot_period, slot_identifiers),
    "Schedule": (schedule_actor,),
    "HealthcareService": (healthcare_service,),
    "Location": (location_name,),
    **ADMIN_RULES,
}


def profile_type(url: str) -> str | None:
    """The resource type a known profile URL constrains (None for profiles we do not know)."""
    if url in SPINE_PROFILES:
        return SPINE_PROFILES[url]
    if url.startswith(CARECONNECT_PREFIX) and url.endswith("-1"):
        # CareConnect-GPC-Patient-1 and the like constrain the last named type.
        return url[len(CARECONNECT_PREFIX) : -2].rsplit("-", 1)[-1] or None
    return None


def claimed_profile_issues(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """meta.profile must not claim a known profile of another resource type."""
    resource_type = resource.get("resourceType")
    issues: list[Issue] = []
    profiles = child(resource, "meta").get("profile")
    for index, url in enumerate(profiles if isinstance(profiles, list) else []):
        target = profile_type(url) if isinstance(url, str) else None
        if target is not None and target != resource_type:
            issues.append(
                error(
                    f"{base}.meta.profile[{index}]",
                    f"profile {url} constrains {target}, not {resource_type}",
                    "invalid",
                )
            )
    return issues


def profile_issues(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """All profile findings for one resource (not its contained or entry resources)."""
    issues = claimed_profile_issues(resource, base)
    for rule in PROFILE_RULES.get(str(resource.get("resourceType")), ()):
        issues.extend(rule(resource, base))
    return issues
