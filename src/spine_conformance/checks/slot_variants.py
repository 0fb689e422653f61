"""Checks on slot search variants: what was asked for is there and nothing else (SLOT-05), statuses (SLOT-06),
and an empty searchset for a service without free slots (SLOT-01)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from spine_conformance.checks.slots import (
    bundle_resources,
    entries,
    related_keys,
    resource_key,
    returned_slots,
)
from spine_conformance.findings import ADVISORY, NORMATIVE, FindingCollector, NotTestable, note_evaluated, require


def check_asked_includes(
    bundle: dict[str, Any],
    includes: Iterable[str],
    base_url: str,
    requirement: str,
    missing_severity: str = NORMATIVE,
) -> None:
    """The resources the ``includes`` ask for are there; any other resource is advisory (no page forbids it,
    but nobody asked for it: BK-seed search_free_slots.md 'Include … Resources referenced')."""
    slots = returned_slots(bundle)
    note_evaluated(requirement)
    if not slots:
        return  # nothing to include: the searchset itself was judged
    keys = [resource_key(resource) for resource in bundle_resources(bundle)]
    present = {key: resource for resource, key in zip(bundle_resources(bundle), keys, strict=True)}
    wanted = related_keys(slots, present, set(includes), base_url)
    slot_keys = {resource_key(slot) for slot in slots}
    out = FindingCollector()
    for key in sorted(wanted - present.keys()):
        out.add(requirement, f"{key} in the Bundle (asked for by _include)", "absent", severity=missing_severity)
    asked = ", ".join(includes) or "no _include"
    for key in sorted(present.keys() - wanted - slot_keys):
        out.add(requirement, f"only the Slots and what {asked} asks for", f"{key} as well", severity=ADVISORY)
    out.raise_if_any()


def check_known_slot_returned(bundle: dict[str, Any], slot: dict[str, Any], requirement: str) -> None:
    """A free slot found by the full search is in the answer to a search that left something out: an empty
    or partial answer is not what was asked for (BK-seed search_free_slots.md: 'MUST include the Slot
    resources which meet the requested criteria'). A slot missing from a paged answer may be on a later
    page, which the pages do not describe: that is not tested rather than a failure."""
    ids = {returned.get("id") for returned in returned_slots(bundle)}
    if slot.get("id") in ids:
        note_evaluated(requirement)
        return
    paged = any(isinstance(link, dict) and link.get("relation") == "next" for link in bundle.get("link", []))
    if paged:
        raise NotTestable(f"the free Slot/{slot.get('id')} is not on the first page of a paged answer")
    require(
        False,
        requirement,
        f"the free Slot/{slot.get('id')} (found by the full search) among the slots returned",
        f"{len(ids)} slot(s), without it",
        "MUST include the Slot resources which meet the requested criteria",
    )


def check_statuses(bundle: dict[str, Any], statuses: Collection[str], booked_slot_id: str, requirement: str) -> None:
    """Every Slot returned has one of ``statuses``, and the booked (busy) slot is among them when busy was asked."""
    out = FindingCollector()
    for slot in returned_slots(bundle):
        out.expect(
            slot.get("status") in statuses,
            requirement,
            f"{resource_key(slot)} to be {' or '.join(statuses)}",
            slot.get("status"),
        )
    if "busy" in statuses:
        ids = {slot.get("id") for slot in returned_slots(bundle)}
        out.expect(
            booked_slot_id in ids,
            requirement,
            f"the booked Slot/{booked_slot_id} among the {','.join(statuses)} slots",
            "absent",
            "MUST include the Slot resources which meet the requested criteria",
        )
    out.raise_if_any()


def check_no_matches(bundle: dict[str, Any], resource_type: str, requirement: str) -> None:
    """An empty searchset: no ``resource_type`` (an OperationOutcome saying why is allowed, UEC er_overview)."""
    found = [
        resource_key(entry["resource"])
        for entry in entries(bundle)
        if isinstance(entry.get("resource"), dict) and entry["resource"].get("resourceType") == resource_type
    ]
    require(not found, requirement, f"no {resource_type} in the searchset", ", ".join(found[:5]))
