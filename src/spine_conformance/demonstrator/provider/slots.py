"""search:slot — free slots for a service in a time window, with the six ``_include``s."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.demonstrator.provider.seed import SERVICES, fhir_instant
from spine_conformance.demonstrator.provider.store import Store, StoredSlot
from spine_conformance.fhir import outcome
from spine_conformance.fhir.media import FORMAT_PARAMETER
from spine_conformance.interactions import INCLUDE_ITERATE, SEARCH_INSTANT, SLOT_INCLUDES, SLOT_INCLUDES_2X
from spine_conformance.interactions import SLOT_SERVICE_PARAMETER as SERVICE_PARAMETER

KNOWN_PARAMETERS = {SERVICE_PARAMETER, "status", "start", "_include", "_format"}
# The 2.x pages name the includes differently (search_slots.md: _include:iterate=…, HealthcareService:Location);
# a lower-case location is understood too.
ITERATE = INCLUDE_ITERATE
INCLUDE_ALIASES_2X = {spelled: seed for seed, (_, spelled) in SLOT_INCLUDES_2X.items() if spelled != seed} | {
    "HealthcareService:location": "HealthcareService.location"
}
FORMATS = set(FORMAT_PARAMETER)  # JSON and XML, by the codes and MIME types FHIR STU3 lists
STATUSES = {"free", "busy"}
NO_FAULTS = FaultSet()
DEFAULT_STATUSES: tuple[str, ...] = ("free",)
NO_WINDOW: tuple[int | None, int | None] = (None, None)
T = TypeVar("T")


@dataclass(frozen=True)
class SlotQuery:
    service_id: str
    statuses: tuple[str, ...]
    start_from: int | None
    start_to: int | None
    includes: tuple[str, ...]


def _bad(diagnostics: str) -> HttpError:
    return HttpError(400, outcome.INVALID_PARAMETER, diagnostics)


def parse_slot_query(
    items: Sequence[tuple[str, str]], faults: FaultSet = NO_FAULTS, edition: str = "1", busy_search: str = "edition"
) -> SlotQuery:
    """Parse and check the query string.

    The seed pages: anything unsupported is a 400 (search_free_slots.md). The 2.x pages: unsupported
    parameters SHOULD be ignored and unsupported includes are left out "rather than an error"
    (search_slots.md), and the 2.x include names are understood too.
    """
    # Fault slot-bad-query-accepted: everything but a missing service is silently ignored.
    lenient = faults.on("slot-bad-query-accepted")
    ignoring = edition == "2" and not faults.on("slot-unknown-params-refused")
    if edition == "2":
        items = [
            ("_include" if name == ITERATE else name, INCLUDE_ALIASES_2X.get(value, value)) for name, value in items
        ]
    unknown = sorted({name for name, _ in items} - KNOWN_PARAMETERS)
    if unknown and not (lenient or ignoring):
        raise _bad(f"unsupported search parameter(s): {', '.join(unknown)}")
    if faults.on("slot-missing-params-400") and not {"status", "start"} <= {name for name, _ in items}:
        raise _bad("status and start are required")
    values: dict[str, list[str]] = {}
    for name, value in items:
        values.setdefault(name, []).append(value)
    services = values.get(SERVICE_PARAMETER, [])
    if len(services) != 1 or not services[0].strip():
        raise _bad(f"exactly one {SERVICE_PARAMETER} parameter is required")
    statuses = _or_default(lambda: _statuses(values.get("status", ["free"])), DEFAULT_STATUSES, lenient)
    start_from, start_to = _or_default(lambda: _window(values.get("start", [])), NO_WINDOW, lenient)
    includes = tuple(dict.fromkeys(values.get("_include", [])))
    unsupported = [inc for inc in includes if inc not in SLOT_INCLUDES]
    if unsupported and (lenient or ignoring):
        includes = tuple(inc for inc in includes if inc in SLOT_INCLUDES)
    elif unsupported:
        raise _bad(f"unsupported _include value(s): {', '.join(unsupported)}")
    if busy_search == "refused" and statuses != DEFAULT_STATUSES:  # [spec] busy_search: only free slots served
        raise _bad(f"only status=free is supported, not status={','.join(statuses)}")
    if faults.on("slot-status-ignored"):
        statuses = DEFAULT_STATUSES
    names = {name for name, _ in items}
    if faults.on("slot-partial-query-empty") and not ({"status", "start", "_include"} <= names):
        statuses = ()  # a search leaving something out matches nothing: an empty searchset
    if faults.on("slot-includes-always"):
        includes = SLOT_INCLUDES
    for fmt in values.get("_format", []):
        if fmt not in FORMATS and not lenient:
            raise _bad(f"unsupported _format {fmt!r}")
    return SlotQuery(services[0].strip(), statuses, start_from, start_to, includes)


def _or_default(parse: Callable[[], T], default: T, lenient: bool) -> T:
    """``parse()``, or with ``lenient`` (a fault) ``default`` where it would have refused the query."""
    try:
        return parse()
    except HttpError:
        if lenient:
            return default
        raise


def _statuses(raw: list[str]) -> tuple[str, ...]:
    if len(raw) != 1:
        raise _bad("status may be given once (a comma-separated list)")
    statuses = tuple(part.strip() for part in raw[0].split(","))
    wrong = [s for s in statuses if s not in STATUSES]
    if wrong:
        raise _bad(f"status must be free or busy, not {', '.join(wrong)}")
    return statuses


def _window(raw: list[str]) -> tuple[int | None, int | None]:
    if len(raw) > 2:
        raise _bad("start may be given at most twice (a lower and an upper bound)")
    start_from: int | None = None
    start_to: int | None = None
    for value in raw:
        prefix, moment = value[:2], parse_search_instant(value[2:])
        if prefix in ("ge", "gt") and start_from is None:
            start_from = moment + (1 if prefix == "gt" else 0)
        elif prefix in ("le", "lt") and start_to is None:
            start_to = moment - (1 if prefix == "lt" else 0)
        else:
            raise _bad(f"start must be one ge/gt bound and one le/lt bound, got {value!r}")
    if start_from is not None and start_to is not None and start_to < start_from:
        raise _bad("the start window ends before it begins")
    return start_from, start_to


def parse_search_instant(text: str) -> int:
    # A '+' in an unencoded query string arrives as a space; the published demonstrator's own
    # example has that defect, so a space before the offset is read as '+'.
    candidate = text.replace(" ", "+")
    if not SEARCH_INSTANT.fullmatch(candidate):
        raise _bad(f"start value {text!r} is not yyyy-mm-ddThh:mm:ss+hh:mm")
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        raise _bad(f"start value {text!r} is not yyyy-mm-ddThh:mm:ss+hh:mm") from None
    if moment.tzinfo is None or "T" not in candidate:
        raise _bad(f"start value {text!r} needs a time and a time-zone offset")
    return int(moment.timestamp())


def slot_bundle(
    store: Store, query: SlotQuery, base_url: str, self_url: str, faults: FaultSet = NO_FAULTS
) -> dict[str, Any]:
    if faults.on("slot-none-404") and not store.has_slots(query.service_id):
        raise HttpError(404, outcome.NO_RECORD_FOUND, f"no slots for service {query.service_id}")
    start_to = None if faults.on("slot-window-ignored") else query.start_to
    slots = store.slots(query.service_id, query.statuses, query.start_from, start_to)
    entries = [_entry(base_url, slot.resource, "match") for slot in slots]
    included = _included(store, slots, query, faults)
    if faults.on("slot-duplicate-includes"):
        included += [resource for resource in included if resource["resourceType"] == "Schedule"]
    entries += [_entry(base_url, resource, "include") for resource in included]
    for entry in entries:
        entry["resource"] = _as_faulted(entry["resource"], faults)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": fhir_instant(datetime.now(UTC))},
        "type": "collection" if faults.on("slot-bundle-type-collection") else "searchset",
        "total": len(slots),
        "link": [{"relation": "self", "url": self_url}],
        "entry": entries,
    }


def _as_faulted(resource: dict[str, Any], faults: FaultSet) -> dict[str, Any]:
    """A copy without what a fault mode leaves out (the seeded resources are shared: never changed)."""
    kind = resource["resourceType"]
    if kind == "Slot" and faults.on("slot-without-identifier"):
        return {key: value for key, value in resource.items() if key != "identifier"}
    if kind == "Schedule" and faults.on("schedule-without-service-actor"):
        actors = [a for a in resource.get("actor", []) if not a.get("reference", "").startswith("HealthcareService/")]
        return {**resource, "actor": actors}
    return resource


def _entry(base_url: str, resource: dict[str, Any], mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _included(store: Store, slots: list[StoredSlot], query: SlotQuery, faults: FaultSet) -> list[dict[str, Any]]:
    """Resolve the includes over everything in the Bundle so far (as ``:iterate`` would), once each."""
    includes = query.includes
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(reference: str) -> None:
        resource_type, _, resource_id = reference.partition("/")
        key = (resource_type, resource_id)
        if key not in found and (resource := store.static(resource_type, resource_id)) is not None:
            found[key] = resource

    if "Slot:schedule" in includes:
        for slot in slots:
            add(f"Schedule/{slot.schedule_id}")
    schedules = {slot.schedule_id for slot in slots}
    for schedule_id in sorted(schedules):
        schedule = store.static("Schedule", schedule_id) or {}
        for actor in schedule.get("actor", []):
            reference = actor.get("reference", "")
            if f"Schedule:actor:{reference.partition('/')[0]}" in includes:
                add(reference)
    for (resource_type, _), resource in list(found.items()):
        if resource_type != "HealthcareService":
            continue
        if "HealthcareService.providedBy" in includes and "providedBy" in resource:
            add(resource["providedBy"]["reference"])
        if "HealthcareService.location" in includes and not faults.on("slot-missing-include"):
            for location in resource.get("location", []):
                add(location["reference"])
    if "HealthcareService.location" in includes and faults.on("slot-unrelated-include"):
        for service in SERVICES:  # every other service's Location, related to none of the slots
            if service.id != query.service_id:
                add(f"Location/{service.location_id}")
    return list(found.values())
