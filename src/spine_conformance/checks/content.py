"""What a provider answers a write with keeps what was written (APPT-CREATE-05, APPT-CANCEL-04).

The Booking pages: the 201 "MUST include the created Appointment", the 200 of a cancel "MUST include the
updated Appointment". So every element the consumer sent is there with the value sent; a provider may
add to it (an id, meta, a narrative, identifiers of its own), and instants may be written with another
offset or precision and still name the same moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spine_conformance.findings import FindingCollector

KEPT = ("description", "comment", "start", "end", "slot", "participant")
INSTANTS = ("start", "end")


def _same_instant(sent: Any, returned: Any) -> bool:
    try:
        return datetime.fromisoformat(str(sent)) == datetime.fromisoformat(str(returned))
    except ValueError:
        return bool(sent == returned)


def contains(returned: Any, sent: Any) -> bool:
    """Whether ``returned`` holds everything ``sent`` does (objects may gain members, lists keep their order)."""
    if isinstance(sent, dict):
        return isinstance(returned, dict) and all(k in returned and contains(returned[k], v) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(returned, list) and len(returned) == len(sent) and all(map(contains, returned, sent))
    return bool(sent == returned)


def check_keeps(sent: dict[str, Any], returned: dict[str, Any], requirement: str) -> None:
    out = FindingCollector()
    for key in KEPT:
        if key not in sent:
            continue
        value = returned.get(key)
        kept = _same_instant(sent[key], value) if key in INSTANTS else contains(value, sent[key])
        out.expect(
            kept, requirement, f"{key} as sent ({_short(sent[key])})", _short(value) if key in returned else None
        )
    out.raise_if_any()


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:119] + "…"
