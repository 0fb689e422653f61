"""CareConnect STU3 profile rules (the subset the booking API relies on).

Each rule is a small function ``(resource, base) -> list[Issue]`` where ``base`` is the FHIRPath of
the resource itself (``Appointment``, ``Bundle.entry[3].resource``, ``Appointment.contained[0]``),
so expressions stay precise for nested resources. :data:`PROFILE_RULES` maps a resource type to its
rules, each a :class:`~.rule_sources.Rule` naming the published source and the severity;
:func:`profile_issues` runs them (plus the ``meta.profile`` consistency rules) and stamps every
issue with its rule's severity and citation.

The rules for a type apply whether or not ``meta.profile`` claims the CareConnect profile: booking
resources are CareConnect resources by contract, so an unclaimed profile is not an excuse. A rule
the profile, FHIR core or the Booking pages state is an error; a sanity check none of them states
is a warning (advisory), and its diagnostics say so. Unknown profile URLs are ignored.

"Every ``#id`` reference resolves to a contained resource" is not here: it holds for every resource,
so the validator checks it as a core rule (ref-1) even with ``profile_rules=False``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .outcome import Issue
from .profiles_admin import ADMIN_RULES
from .profiles_common import (
    CARECONNECT_PREFIX,
    ProfileRule,
    careconnect_profile,
    child,
    contained_by_id,
    identifiers_complete,
    items,
    parse_datetime,
    patient_actor,
    reference_type,
    require_elements,
    sanity_note,
    text,
    violation,
)
from .rule_sources import (
    BK_APPOINTMENT_PARTICIPANT,
    BK_BOOKING_REQUEST,
    BK_SCHEDULE_ACTORS,
    BK_SLOT_SCHEDULE,
    CC_APPOINTMENT,
    CC_HEALTHCARE_SERVICE,
    CC_LOCATION,
    CC_SCHEDULE,
    CC_SLOT,
    FHIR_APPOINTMENT_TIMES,
    FHIR_META_PROFILE,
    FHIR_REFERENCE,
    advisory_rule,
    error_rule,
)

SPINE_PROFILES: dict[str, str] = {
    "https://fhir.nhs.uk/STU3/StructureDefinition/Spine-OperationOutcome-1": "OperationOutcome",
}
# The CareConnect profiles whose StructureDefinitions were read (see rule_sources): only a claim of
# one of these exact URLs on another resource type is certainly wrong.
KNOWN_PROFILES: dict[str, str] = {
    **SPINE_PROFILES,
    **{
        careconnect_profile(resource_type): resource_type
        for resource_type in (
            "Appointment", "Slot", "Schedule", "HealthcareService", "Location", "Organization",
            "Practitioner", "PractitionerRole", "Patient", "DocumentReference",
        )
    },
}  # fmt: skip
# A literal Slot reference: relative (Slot/<id>) or absolute (http(s)://<base>/Slot/<id>), optionally
# version-specific; FHIR STU3 allows all of these (references.html). The id is the FHIR id datatype.
_SLOT_REFERENCE = re.compile(
    r"^(?:https?://[^\s/]+(?:/[^\s]*)?/)?Slot/[A-Za-z0-9\-.]{1,64}(?:/_history/[A-Za-z0-9\-.]{1,64})?$"
)
_TIMES_MAY_BE_MISSING = frozenset({"proposed", "cancelled"})  # app-3


def _times_present(resource: Mapping[str, Any], base: str, profile: str) -> list[Issue]:
    return [
        violation(f"{base}.{key}", f"{profile}: {key} is required", "required")
        for key in ("start", "end")
        if not text(resource.get(key))
    ]


def _end_after_start(resource: Mapping[str, Any], base: str, profile: str) -> list[Issue]:
    """An end not after its start: neither CareConnect nor FHIR STU3 orders Appointment or Slot
    start/end (they are instants, not a Period, so per-1 does not apply)."""
    start, end = parse_datetime(resource.get("start")), parse_datetime(resource.get("end"))
    if start is None or end is None or end > start:
        return []
    note = sanity_note(f"{profile} or FHIR STU3")
    return [violation(f"{base}.end", f"end ({resource['end']}) is not after start: {note}")]


def claims_careconnect_profile(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The Appointment names CareConnect-Appointment-1 in meta.profile, as every Appointment on the Booking
    pages does; FHIR makes meta.profile optional and no page requires it, so its absence is advisory."""
    resource_type = str(resource.get("resourceType"))
    if resource_type != "Appointment":
        return []
    profiles = child(resource, "meta").get("profile")
    claimed = profiles if isinstance(profiles, list) else []
    if careconnect_profile(resource_type) in claimed:
        return []
    message = f"meta.profile does not name {careconnect_profile(resource_type)} ({sanity_note('FHIR STU3')})"
    return [violation(f"{base}.meta.profile", message, "required")]


# --- Appointment -----------------------------------------------------------------------------------

_APPOINTMENT = "CareConnect-Appointment-1"


def appointment_times(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """app-3: start and end unless proposed or cancelled; app-2: then both or neither."""
    if resource.get("status") not in _TIMES_MAY_BE_MISSING:
        return _times_present(resource, base, f"{_APPOINTMENT} (app-3)")
    if bool(text(resource.get("start"))) == bool(text(resource.get("end"))):
        return []
    missing = "end" if text(resource.get("start")) else "start"
    return [violation(f"{base}.{missing}", f"{_APPOINTMENT} (app-2): either start and end are specified, or neither")]


def appointment_end_after_start(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _end_after_start(resource, base, _APPOINTMENT)


def appointment_patient(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """At least one participant, and one of them identifies the patient."""
    if not items(resource, "participant"):
        return [violation(f"{base}.participant", f"{_APPOINTMENT}: at least one participant is required", "required")]
    if any(True for _ in patient_actor(resource)):
        return []
    return [
        violation(
            f"{base}.participant",
            "NHS Booking API: no participant identifies the patient (actor.identifier with system "
            "https://fhir.nhs.uk/Id/nhs-number, or actor.reference to a Patient)",
        )
    ]


def appointment_slots(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """slot references are literal Slot references (relative or absolute) or ``#<id>`` of a contained Slot."""
    contained = contained_by_id(resource)
    issues: list[Issue] = []
    for index, slot in items(resource, "slot"):
        reference, where = text(slot.get("reference")), f"{base}.slot[{index}].reference"
        if reference.startswith("#"):
            target = contained.get(reference[1:])
            if target is not None and target.get("resourceType") != "Slot":
                issues.append(violation(where, f"{_APPOINTMENT}: slot reference {reference} is not a contained Slot"))
        elif not _SLOT_REFERENCE.match(reference):
            issues.append(
                violation(
                    where,
                    f"{_APPOINTMENT}: slot reference {reference or '(none)'!r} is not a Slot "
                    "('Slot/<id>', '[base]/Slot/<id>' or '#<id>')",
                )
            )
    return issues


# --- Slot, Schedule, HealthcareService, Location ---------------------------------------------------

_SLOT = "CareConnect-Slot-1"


def slot_required(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """status, schedule, start and end are 1..1 (the STU3 model reports them too; dedupe keeps one)."""
    return require_elements(resource, base, _SLOT, "status", "schedule", "start", "end")


def slot_schedule_reference(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The profile only needs a schedule; the Booking page's Schedule row shows a literal reference."""
    schedule = resource.get("schedule")
    if not isinstance(schedule, Mapping) or text(schedule.get("reference")):
        return []
    return [violation(f"{base}.schedule.reference", "NHS Booking API: schedule.reference is required", "required")]


def slot_end_after_start(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _end_after_start(resource, base, _SLOT)


def slot_identifiers(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """CareConnect-Slot-1 has identifier.system and .value 0..1: completeness is only a sanity check."""
    return identifiers_complete(resource, base, _SLOT, sanity_note(_SLOT))


def slot_identifier(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """CareConnect-Slot-1 makes Slot.identifier 1..1 (base 0..*); BK-head slot.md lists it [1..1] too."""
    count = len(items(resource, "identifier"))
    if count == 1:
        return []
    return [violation(f"{base}.identifier", f"{_SLOT}: exactly one identifier is required, got {count}", "required")]


def schedule_actor(resource: Mapping[str, Any], base: str) -> list[Issue]:
    if items(resource, "actor"):
        return []
    return [violation(f"{base}.actor", "CareConnect-Schedule-1: at least one actor is required", "required")]


def schedule_service_actor(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The Booking page's Schedule: actor [1..3], of which exactly one the HealthcareService it is part of."""
    actors = [text(actor.get("reference")) for _, actor in items(resource, "actor")]
    services = [reference for reference in actors if reference_type(reference) == "HealthcareService"]
    issues = []
    if len(services) != 1:
        message = f"NHS Booking API Schedule: exactly one HealthcareService actor is required, got {len(services)}"
        issues.append(violation(f"{base}.actor", message, "required"))
    if len(actors) > 3:
        issues.append(violation(f"{base}.actor", f"NHS Booking API Schedule: at most 3 actors, got {len(actors)}"))
    return issues


_SERVICE = "CareConnect-HealthcareService-1"


def healthcare_service_name(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """HealthcareService.name is 0..1 in the profile, and the Booking page does not list it."""
    if text(resource.get("name")):
        return []
    return [violation(f"{base}.name", f"{_SERVICE}: name is missing ({sanity_note(_SERVICE)})", "required")]


def healthcare_service_provided_by(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """providedBy and providedBy.reference are 0..1: a providedBy without a literal reference is allowed."""
    if resource.get("providedBy") is None or text(child(resource, "providedBy").get("reference")):
        return []
    return [
        violation(
            f"{base}.providedBy.reference",
            f"{_SERVICE}: providedBy is not a literal reference ({sanity_note(_SERVICE)})",
            "required",
        )
    ]


def location_name(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """Location.name is 0..1 in the profile, and the Booking page lists no key elements."""
    if text(resource.get("name")):
        return []
    profile = "CareConnect-Location-1"
    return [violation(f"{base}.name", f"{profile}: name is missing ({sanity_note(profile)})", "required")]


PROFILE_RULES: dict[str, tuple[ProfileRule, ...]] = {
    "Appointment": (
        advisory_rule(claims_careconnect_profile, FHIR_META_PROFILE, BK_BOOKING_REQUEST),
        error_rule(appointment_times, FHIR_APPOINTMENT_TIMES, CC_APPOINTMENT),
        advisory_rule(appointment_end_after_start, CC_APPOINTMENT),
        error_rule(appointment_patient, BK_APPOINTMENT_PARTICIPANT),
        error_rule(appointment_slots, CC_APPOINTMENT, FHIR_REFERENCE),
    ),
    "Slot": (
        error_rule(slot_required, CC_SLOT),
        error_rule(slot_schedule_reference, BK_SLOT_SCHEDULE),
        advisory_rule(slot_end_after_start, CC_SLOT),
        advisory_rule(slot_identifiers, CC_SLOT),
        error_rule(slot_identifier, CC_SLOT),
    ),
    "Schedule": (error_rule(schedule_actor, CC_SCHEDULE), error_rule(schedule_service_actor, BK_SCHEDULE_ACTORS)),
    "HealthcareService": (
        advisory_rule(healthcare_service_name, CC_HEALTHCARE_SERVICE),
        advisory_rule(healthcare_service_provided_by, CC_HEALTHCARE_SERVICE),
    ),
    "Location": (advisory_rule(location_name, CC_LOCATION),),
    **ADMIN_RULES,
}


def profile_type(url: str) -> str | None:
    """The resource type a profile URL constrains, exactly or by its name (None when neither)."""
    if url in KNOWN_PROFILES:
        return KNOWN_PROFILES[url]
    if url.startswith(CARECONNECT_PREFIX) and url.endswith("-1"):
        # CareConnect-GPC-Patient-1 and the like constrain the last named type.
        return url[len(CARECONNECT_PREFIX) : -2].rsplit("-", 1)[-1] or None
    return None


def _claims_of_another_type(resource: Mapping[str, Any], base: str, *, known: bool) -> list[Issue]:
    resource_type = resource.get("resourceType")
    issues: list[Issue] = []
    profiles = child(resource, "meta").get("profile")
    for index, url in enumerate(profiles if isinstance(profiles, list) else []):
        if not isinstance(url, str) or (url in KNOWN_PROFILES) != known:
            continue
        target = profile_type(url)
        if target is not None and target != resource_type:
            message = f"profile {url} constrains {target}, not {resource_type}"
            if not known:
                message += " (the type is read from the profile's name: a sanity check)"
            issues.append(violation(f"{base}.meta.profile[{index}]", message, "invalid"))
    return issues


def claimed_known_profile(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """meta.profile must not claim a known profile of another resource type: a StructureDefinition
    constrains one type, so a resource of another type cannot conform to it."""
    return _claims_of_another_type(resource, base, known=True)


def claimed_careconnect_profile(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The same for other CareConnect-*-1 URLs, whose type is only read from the name (a heuristic)."""
    return _claims_of_another_type(resource, base, known=False)


CLAIMED_PROFILE_RULES: tuple[ProfileRule, ...] = (
    error_rule(claimed_known_profile, FHIR_META_PROFILE),
    advisory_rule(claimed_careconnect_profile, FHIR_META_PROFILE),
)


def profile_issues(resource: Mapping[str, Any], base: str, edition: str = "1") -> list[Issue]:
    """All profile findings for one resource (not its contained or entry resources), stamped with
    each rule's severity and source; only the rules of the Booking ``edition`` apply."""
    issues: list[Issue] = []
    for rule in (*CLAIMED_PROFILE_RULES, *PROFILE_RULES.get(str(resource.get("resourceType")), ())):
        if rule.applies(edition):
            issues.extend(rule.stamp(rule.check(resource, base)))
    return issues
