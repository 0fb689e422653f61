"""search:slot checks: SLOT-01 searchset, SLOT-02 free and inside the window, SLOT-03 includes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from spine_conformance.checks.responses import check_status, resource_body
from spine_conformance.findings import ADVISORY, NORMATIVE, FindingCollector, NotTestable, require
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import SLOT_INCLUDES, SLOT_SERVICE_PARAMETER

SERVICE_PARAMETER = SLOT_SERVICE_PARAMETER
INCLUDES = SLOT_INCLUDES


@dataclass(frozen=True)
class SlotWindow:
    start: datetime
    end: datetime

    @classmethod
    def around(cls, start: str, margin: timedelta = timedelta(minutes=1)) -> SlotWindow:
        """A window just wide enough for one slot's start: one short page, so paging cannot hide it."""
        moment = datetime.fromisoformat(start)
        return cls(moment - margin, moment + margin)

    @classmethod
    def ahead(cls, now: datetime, days: int) -> SlotWindow:
        start = now.replace(microsecond=0)
        return cls(start, start + timedelta(days=days))

    def query(self, service_id: str, includes: Iterable[str] = INCLUDES) -> list[tuple[str, str]]:
        return [
            (SERVICE_PARAMETER, service_id),
            ("status", "free"),
            ("start", "ge" + self.start.isoformat()),
            ("start", "le" + self.end.isoformat()),
            *(("_include", include) for include in includes),
        ]


def reference_key(reference: str) -> str:
    """``Type/id`` for a relative or absolute literal reference (``https://x/STU3/Slot/1`` → ``Slot/1``)."""
    path = urlsplit(reference).path if "://" in reference else reference
    parts = [part for part in path.split("/") if part]
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    return "/".join(parts[-2:])


def resource_key(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry for entry in bundle.get("entry") or [] if isinstance(entry, dict)]


def bundle_resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in entries(bundle) if isinstance(entry.get("resource"), dict)]


def returned_slots(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [resource for resource in bundle_resources(bundle) if resource.get("resourceType") == "Slot"]


def check_searchset(response: HttpResponse, requirement: str = "SLOT-01") -> dict[str, Any]:
    """200 with a searchset Bundle whose entries carry an absolute fullUrl and a resource."""
    check_status(response, 200, requirement)
    bundle = resource_body(response, "Bundle", requirement)
    out = FindingCollector()
    out.expect(bundle.get("type") == "searchset", requirement, "Bundle.type searchset", bundle.get("type"))
    for index, entry in enumerate(entries(bundle)):
        full_url = str(entry.get("fullUrl", ""))
        out.expect(
            full_url.startswith(("https://", "http://")),
            requirement,
            f"entry[{index}].fullUrl to be an absolute URL",
            entry.get("fullUrl"),
        )
        out.expect(isinstance(entry.get("resource"), dict), requirement, f"entry[{index}].resource", None)
    out.raise_if_any()
    return bundle


def check_slots_in_window(bundle: dict[str, Any], window: SlotWindow) -> None:
    """SLOT-02: every Slot returned is free and starts inside the requested window."""
    slots = returned_slots(bundle)
    if not slots:
        raise NotTestable(
            "the provider returned no free slot in the window; widen provider.slot_window_days "
            "or choose a provider.healthcare_service with free slots"
        )
    out = FindingCollector()
    for slot in slots:
        key = resource_key(slot)
        out.expect(slot.get("status") == "free", "SLOT-02", f"{key} to be free", slot.get("status"))
        try:
            start = datetime.fromisoformat(str(slot.get("start")))
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:  # an instant always carries its offset
            out.add("SLOT-02", f"{key}.start to be an instant", slot.get("start"))
            continue
        out.expect(
            window.start <= start <= window.end,
            "SLOT-02",
            f"{key} to start between {window.start.isoformat()} and {window.end.isoformat()}",
            slot.get("start"),
        )
    out.raise_if_any()


def check_includes(
    bundle: dict[str, Any], includes: Iterable[str] = INCLUDES, base_url: str = "", missing_severity: str = NORMATIVE
) -> None:
    """SLOT-03: each requested include present, nothing unrelated, nothing twice.

    ``missing_severity``: a requested include left out breaks the seed pages' MUST; the 2.x pages make
    the includes a SHOULD (search_slots.md), so there it is advisory.
    """
    slots = returned_slots(bundle)
    if not slots:
        raise NotTestable(
            "the provider returned no free slot in the window, so there is nothing to include; "
            "widen provider.slot_window_days or choose a service with free slots"
        )
    out = FindingCollector()
    keys = [resource_key(resource) for resource in bundle_resources(bundle)]
    for key, count in Counter(keys).items():
        # "Related resources SHOULD NOT be duplicated": a repeat is advisory.
        out.expect(count == 1, "SLOT-03", f"{key} once in the Bundle", f"{count} times", severity=ADVISORY)
    urls = Counter(str(entry.get("fullUrl")) for entry in entries(bundle) if entry.get("fullUrl"))
    for url, count in urls.items():
        out.expect(count == 1, "SLOT-03", f"fullUrl {url} once", f"{count} times", severity=ADVISORY)
    present = {key: resource for resource, key in zip(bundle_resources(bundle), keys, strict=True)}
    wanted = _related(slots, present, set(includes), base_url)
    for key in sorted(wanted - present.keys()):
        out.add("SLOT-03", f"{key} in the Bundle (requested by _include)", "absent", severity=missing_severity)
    slot_keys = {resource_key(slot) for slot in slots}
    for key in sorted(present.keys() - wanted - slot_keys):
        out.add("SLOT-03", "only resources related to the returned slots", f"{key} is not related to any of them")
    out.raise_if_any()


def _objects(value: Any) -> list[dict[str, Any]]:
    """A list of JSON objects whatever a (possibly malformed) element holds: bad shapes are ignored."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]


def _related(
    slots: list[dict[str, Any]], present: dict[str, dict[str, Any]], includes: set[str], base_url: str = ""
) -> set[str]:
    """Keys the includes ask for, following references from the slots (through what is present)."""
    wanted: set[str] = set()
    schedules = {
        reference_key(str(ref.get("reference", ""))) for slot in slots for ref in _objects(slot.get("schedule"))
    }
    schedules.discard("")
    if "Slot:schedule" in includes:
        wanted |= schedules
    services: set[str] = set()
    for schedule_key in schedules:
        for actor in _objects((present.get(schedule_key) or {}).get("actor")):
            key = reference_key(str(actor.get("reference", "")))
            kind = key.partition("/")[0]
            if f"Schedule:actor:{kind}" in includes:
                wanted.add(key)
            if kind == "HealthcareService":
                services.add(key)
    for service_key in services:
        service = present.get(service_key) or {}
        if "HealthcareService.providedBy" in includes:
            wanted |= _local_references(_objects(service.get("providedBy")), base_url)
        if "HealthcareService.location" in includes:
            wanted |= _local_references(_objects(service.get("location")), base_url)
    return wanted


def related_keys(
    slots: list[dict[str, Any]], present: dict[str, dict[str, Any]], includes: set[str], base_url: str = ""
) -> set[str]:
    """``Type/id`` of the resources the ``includes`` ask for, following references from the ``slots``."""
    return _related(slots, present, includes, base_url)


def _local_references(references: Iterable[dict[str, Any]], base_url: str) -> set[str]:
    """References to this server (relative, or absolute under its base); another server's cannot be included."""
    keys = set()
    base = base_url.rstrip("/") + "/" if base_url else None
    for reference in references:
        text = str(reference.get("reference", ""))
        if text and ("://" not in text or (base is not None and text.startswith(base))):
            keys.add(reference_key(text))
    return keys


def check_slot_offered(bundle: dict[str, Any], slot_id: str, offered: bool, requirement: str) -> None:
    """The slot is (or is no longer) among the free slots returned."""
    ids = {slot.get("id") for slot in returned_slots(bundle)}
    expected = f"Slot/{slot_id} {'offered' if offered else 'no longer offered'} as free"
    require(
        (slot_id in ids) == offered, requirement, expected, f"Slot/{slot_id} {'absent' if offered else 'still offered'}"
    )
