"""Which of the provider's slots a booking names, in either Booking edition, and the 2.x edition's own checks.

The seed pages reference the slot literally (``Slot/<id>``, or absolute under this provider's base).
The 2.x pages carry the Slot contained and reference it ``#<id>`` (BK-head appointment.md); the
contained Slot names the provider's slot by its identifier (as searched) or, as the TKW pack's requests
do, by its own id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.demonstrator.provider.store import Store
from spine_conformance.fhir import outcome, patient_nhs_number, slot_reference_id
from spine_conformance.fhir.booking_content import booking_patient_telecom_ranks
from spine_conformance.fhir.profiles_common import contained_by_id, items, text


def booked_slot_id(store: Store, appointment: Mapping[str, Any], base_url: str, edition: str) -> str | None:
    """The id of the slot ``appointment`` books, or None when it names none of ours (or several)."""
    literal = slot_reference_id(appointment, base_url)
    if literal is not None or edition != "2":
        return literal
    references = [text(slot.get("reference")) for _, slot in items(appointment, "slot")]
    if len(references) != 1 or not references[0].startswith("#"):
        return None
    contained = contained_by_id(appointment).get(references[0][1:])
    if contained is None or contained.get("resourceType") != "Slot":
        return None
    for _, identifier in items(contained, "identifier"):
        found = store.slot_by_identifier(text(identifier.get("value")))
        if found is not None:
            return found.id
    own_id = text(contained.get("id"))
    return own_id if store.slot(own_id) is not None else None


def check_2x_booking(appointment: Mapping[str, Any], faults: FaultSet) -> None:
    """What the 2.x edition adds to a booking's checks (and the fault modes that get them wrong)."""
    contained_slot = any(text(slot.get("reference")).startswith("#") for _, slot in items(appointment, "slot"))
    if contained_slot and faults.on("contained-slot-refused"):
        raise HttpError(422, outcome.INVALID_RESOURCE, "the slot must be referenced as Slot/<id>")
    if patient_nhs_number(appointment) is None and faults.on("nhs-number-required"):
        raise HttpError(422, outcome.INVALID_NHS_NUMBER, "the Patient must carry an NHS number")
    # The TKW pack refuses two rank-1 telecoms, or none, with 400; the pages only rank them in examples.
    ranks = booking_patient_telecom_ranks(appointment, datetime.now(UTC))
    if ranks and not faults.on("telecom-rank-unchecked"):
        raise HttpError(400, outcome.INVALID_RESOURCE, "; ".join(issue.diagnostics for issue in ranks))
