"""The six appointments interactions: their IDs, HTTP shape and JWT scope.

One table drives the SSP header builder, the provider's routing checks, the token minter and
the scope inspection, so an interaction is described exactly once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

INTERACTION_PREFIX = "urn:nhs:names:services:careconnect:fhir:rest:"
DEFAULT_SLOT_INTERACTION = INTERACTION_PREFIX + "search:slot"
# The SDS and auth-group examples call it read:slot (digest A3); a provider may be set up either way.
ALTERNATIVE_SLOT_INTERACTION = INTERACTION_PREFIX + "read:slot"


# The _include parameters providers MUST support on slot search (BK-seed search_free_slots.md).
SLOT_INCLUDES = (
    "Slot:schedule",
    "Schedule:actor:Practitioner",
    "Schedule:actor:PractitionerRole",
    "Schedule:actor:HealthcareService",
    "HealthcareService.providedBy",
    "HealthcareService.location",
)
# The 2.x pages spell five of them differently, iterating (BK-head search_slots.md, _include parameters).
INCLUDE_ITERATE = "_include:iterate"
SLOT_INCLUDES_2X: dict[str, tuple[str, str]] = {
    "Slot:schedule": ("_include", "Slot:schedule"),
    "Schedule:actor:Practitioner": (INCLUDE_ITERATE, "Schedule:actor:Practitioner"),
    "Schedule:actor:PractitionerRole": (INCLUDE_ITERATE, "Schedule:actor:PractitionerRole"),
    "Schedule:actor:HealthcareService": (INCLUDE_ITERATE, "Schedule:actor:HealthcareService"),
    "HealthcareService.providedBy": (INCLUDE_ITERATE, "HealthcareService:Organization"),
    "HealthcareService.location": (INCLUDE_ITERATE, "HealthcareService:Location"),
}
PATIENT_SEARCH_PARAMETER = "Appointment.participant.actor:Patient.identifier"
# The slot search's service parameter (BK-seed search_free_slots.md; the DoS service id since 1.0.6).
SLOT_SERVICE_PARAMETER = "schedule.actor:healthcareservice"
# The form the booking spec gives a search instant (yyyy-mm-ddThh:mm:ss+hh:mm), also with Z or a fraction.
SEARCH_INSTANT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"  # date and time to the second
    r"(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"  # optional fraction, then the offset
)


class Interaction(Enum):
    READ_METADATA = "read_metadata"
    SEARCH_SLOT = "search_slot"
    CREATE_APPOINTMENT = "create_appointment"
    SEARCH_APPOINTMENT = "search_appointment"
    READ_APPOINTMENT = "read_appointment"
    UPDATE_APPOINTMENT = "update_appointment"

    def __str__(self) -> str:
        # Messages name an interaction as the catalogue and tags do ("read_appointment").
        return self.value

    @property
    def spec(self) -> InteractionSpec:
        return INTERACTIONS[self]

    def interaction_id(self, slot_interaction: str = DEFAULT_SLOT_INTERACTION) -> str:
        if self is Interaction.SEARCH_SLOT:
            return slot_interaction
        return self.spec.interaction_id


@dataclass(frozen=True)
class InteractionSpec:
    interaction: Interaction
    interaction_id: str
    method: str
    # Path relative to the FHIR base, as a regex; "query" says whether a search string is expected.
    path_pattern: re.Pattern[str]
    scope: str
    description: str


# Scopes from the UEC claim list (digest A1.3, 2021-04). The scope for patient-appointment search
# is not published; patient/appointment.read is the closest published fit (an inference).
INTERACTIONS: dict[Interaction, InteractionSpec] = {
    spec.interaction: spec
    for spec in (
        InteractionSpec(
            Interaction.READ_METADATA,
            INTERACTION_PREFIX + "read:metadata",
            "GET",
            re.compile(r"^metadata$"),
            "organization/slot.read",
            "GET [base]/metadata",
        ),
        InteractionSpec(
            Interaction.SEARCH_SLOT,
            DEFAULT_SLOT_INTERACTION,
            "GET",
            re.compile(r"^Slot$"),
            "organization/slot.read",
            "GET [base]/Slot?…",
        ),
        InteractionSpec(
            Interaction.CREATE_APPOINTMENT,
            INTERACTION_PREFIX + "create:appointment",
            "POST",
            re.compile(r"^Appointment$"),
            "patient/appointment.write",
            "POST [base]/Appointment",
        ),
        InteractionSpec(
            Interaction.SEARCH_APPOINTMENT,
            INTERACTION_PREFIX + "search:appointment",
            "GET",
            re.compile(r"^Appointment$"),
            "patient/appointment.read",
            "GET [base]/Appointment?…",
        ),
        InteractionSpec(
            Interaction.READ_APPOINTMENT,
            INTERACTION_PREFIX + "read:appointment",
            "GET",
            re.compile(r"^Appointment/[A-Za-z0-9\-.]{1,64}(/_history/[A-Za-z0-9\-.]{1,64})?$"),
            "patient/appointment.read",
            "GET [base]/Appointment/[id] or /_history/[vid]",
        ),
        InteractionSpec(
            Interaction.UPDATE_APPOINTMENT,
            INTERACTION_PREFIX + "update:appointment",
            "PUT",
            re.compile(r"^Appointment/[A-Za-z0-9\-.]{1,64}$"),
            "patient/appointment.write",
            "PUT [base]/Appointment/[id]",
        ),
    )
}


def interaction_for(method: str, relative_path: str, has_query: bool) -> Interaction | None:
    """Which interaction a request is, from its verb and its path relative to the FHIR base.

    ``GET Appointment`` is a search only when it has a query string; without one it matches nothing.
    """
    path = relative_path.strip("/")
    method = method.upper()
    for spec in INTERACTIONS.values():
        if spec.method != method or not spec.path_pattern.fullmatch(path):
            continue
        if spec.interaction is Interaction.SEARCH_APPOINTMENT and not has_query:
            continue
        return spec.interaction
    return None


def interaction_from_id(interaction_id: str, slot_interaction: str = DEFAULT_SLOT_INTERACTION) -> Interaction | None:
    """The interaction an ``Ssp-InteractionID`` value names (honouring the configured slot ID)."""
    if interaction_id == slot_interaction:
        return Interaction.SEARCH_SLOT
    for spec in INTERACTIONS.values():
        if spec.interaction is not Interaction.SEARCH_SLOT and spec.interaction_id == interaction_id:
            return spec.interaction
    return None


def relative_to_base(url: str, base_url: str) -> str | None:
    """The path of ``url`` below the FHIR base ``base_url``, or None if it is not below it."""
    target = urlsplit(url)
    base = urlsplit(base_url)
    if (target.scheme, target.netloc.lower()) != (base.scheme, base.netloc.lower()):
        return None
    base_path = base.path.rstrip("/")
    if target.path != base_path and not target.path.startswith(base_path + "/"):
        return None
    return target.path[len(base_path) :].lstrip("/")


def slot_query_for_edition(params: list[tuple[str, str]], edition: str) -> list[tuple[str, str]]:
    """A slot search query with its includes spelled as the Booking ``edition`` spells them (any other
    _include, such as a deliberately unsupported one, is sent as it is)."""
    if edition != "2":
        return list(params)
    return [
        SLOT_INCLUDES_2X.get(value, (name, value)) if name == "_include" else (name, value) for name, value in params
    ]


def seed_include_names(params: list[tuple[str, str]]) -> list[str]:
    """The includes a sent slot query asked for, by their seed names whichever edition spelled them."""
    seed_of = {spelled: seed for seed, spelled in SLOT_INCLUDES_2X.items()}
    return [seed_of.get((name, value), value) for name, value in params if name in ("_include", INCLUDE_ITERATE)]
