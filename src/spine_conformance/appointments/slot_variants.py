"""Slot search variants: parameters left out, other statuses, and query parts the Booking editions treat
differently, each with the answers the sources allow for the edition the target follows ([spec] edition).

The seed pages (search_free_slots.md) refuse "invalid or unsupported" query parameters with 400 and let
the search parameters be left out ("MAY be passed"). The 2.x pages (search_slots.md) let clients leave
them out ("Servers must cater for parameters not being present"), say unsupported parameters "SHOULD
be ignored" and unsupported includes are left out "rather than an error", make servers "support
searching for all statuses" (status=free,busy), and fix the start format yyyy-mm-ddThh:mm:ss+hh:mm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from spine_conformance.checks.refusals import Pinned
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.interactions import SLOT_INCLUDES

Query = list[tuple[str, str]]
T = TypeVar("T")
# A subset of the includes: the Schedules and their HealthcareServices only.
SOME_INCLUDES = ("Slot:schedule", "Schedule:actor:HealthcareService")

SEED = "BK-seed search_free_slots.md"
HEAD = "BK-head search_slots.md"


def _without(*names: str) -> Callable[[Query], Query]:
    return lambda query: [(name, value) for name, value in query if name not in names]


def _start_bounds(query: Query) -> Query:
    return [(name, value) for name, value in query if name != "start"]


# -- parameters left out (SLOT-05): the includes asked for after the change --------------------------
@dataclass(frozen=True)
class LeftOut:
    change: Callable[[Query], Query]
    includes: tuple[str, ...]  # the _include values the changed query still asks for


LEFT_OUT: dict[str, LeftOut] = {
    "status": LeftOut(_without("status"), SLOT_INCLUDES),
    "the start bounds": LeftOut(_start_bounds, SLOT_INCLUDES),
    "the _include parameters": LeftOut(_without("_include"), ()),
    "some of the _include parameters": LeftOut(
        lambda query: [(n, v) for n, v in query if n != "_include" or v in SOME_INCLUDES], SOME_INCLUDES
    ),
}


def left_out(window: SlotWindow, service_id: str, name: str) -> tuple[Query, tuple[str, ...]]:
    variant = _lookup(LEFT_OUT, name)
    return variant.change(window.query(service_id)), variant.includes


# -- query parts the editions treat differently (SLOT-07) -------------------------------------------
def _starts(change: Callable[[str], str], prefix: str = "") -> Callable[[Query], Query]:
    """Every start value (or only those with ``prefix``) changed: ``change(value)``."""
    return lambda query: [(n, change(v) if n == "start" and v.startswith(prefix) else v) for n, v in query]


def _start_without(cut: Callable[[str], str]) -> Callable[[Query], Query]:
    return _starts(lambda value: value[:2] + cut(value[2:]))


@dataclass(frozen=True)
class EditionVariant:
    change: Callable[[Query], Query]
    answers: dict[str, Pinned]  # by edition


_UNSUPPORTED_400 = f"{SEED}: invalid or unsupported query string parameters MUST be a 400"
_IGNORED = f"{HEAD}: parameters the server does not support SHOULD be ignored (a 400 is advisory)"
_FORMAT = f"{HEAD}: start is a dateTime in the format yyyy-mm-ddThh:mm:ss+hh:mm (invalid: 400)"
# The 2.x page's own example searches by date alone (start=ge2010-01-01), against its stated format.
_FORMAT_OR_EXAMPLE = f"{_FORMAT}; yet its own example is start=ge2010-01-01&start=le2011-12-31, so a 200 is allowed"
_FHIR_DATE = (
    f"{SEED} gives start no format and FHIR STU3 date parameters may leave out the time or the zone "
    f"(search.html#date), so a 200 is allowed; {_UNSUPPORTED_400}"
)

EDITION_VARIANTS: dict[str, EditionVariant] = {
    "an unknown search parameter": EditionVariant(
        lambda query: [*query, ("colour", "blue")],
        {"1": Pinned.of(400, why=_UNSUPPORTED_400), "2": Pinned.of(200, why=_IGNORED, tolerated=(400,))},
    ),
    "a _revinclude": EditionVariant(
        lambda query: [*query, ("_revinclude", "Appointment:slot")],
        {"1": Pinned.of(400, why=_UNSUPPORTED_400), "2": Pinned.of(200, why=_IGNORED, tolerated=(400,))},
    ),
    "an unsupported _include": EditionVariant(
        lambda query: [*query, ("_include", "Slot:not-a-search-parameter")],
        {
            "1": Pinned.of(400, why=_UNSUPPORTED_400),
            "2": Pinned.of(200, why=f"{HEAD}: only supported resources MUST be returned, rather than an error"),
        },
    ),
    "a start without a time": EditionVariant(
        _start_without(lambda moment: moment[:10]),
        {"1": Pinned.of(200, 400, why=_FHIR_DATE), "2": Pinned.of(200, 400, why=_FORMAT_OR_EXAMPLE)},
    ),
    "a start without a time-zone offset": EditionVariant(
        _start_without(lambda moment: moment[:19]),
        {"1": Pinned.of(200, 400, why=_FHIR_DATE), "2": Pinned.of(400, why=_FORMAT)},
    ),
}


def edition_variant(window: SlotWindow, service_id: str, name: str, edition: str) -> tuple[Query, Pinned]:
    variant = _lookup(EDITION_VARIANTS, name)
    return variant.change(window.query(service_id)), variant.answers[edition]


# -- other statuses (SLOT-06) -----------------------------------------------------------------------
# The sources disagree: [spec] busy_search chooses ("edition": as the edition's pages say).
STATUS_ANSWERS = {
    "1": Pinned.of(
        200,
        400,
        why=f"{SEED}: status is 'the free/busy status of the slots'; a provider that does not support it "
        "may refuse it as an unsupported parameter (400)",
    ),
    "2": Pinned.of(200, why=f"{HEAD}: Servers must support searching for all statuses (status=status1,status2)"),
}


BUSY_SEARCH_ANSWERS = {
    "supported": Pinned.of(
        200, why=f"[spec] busy_search = supported; {HEAD}: Servers must support searching for all statuses"
    ),
    "refused": Pinned.of(
        400,
        why=f"[spec] busy_search = refused; {SEED}: status is the slots' free/busy status, and an unsupported query "
        "is refused with 400",
    ),
}


def status_answer(busy_search: str, edition: str) -> Pinned:
    """What a search for busy, or free and busy, slots is answered with, by the target's [spec] choices."""
    return STATUS_ANSWERS[edition] if busy_search == "edition" else BUSY_SEARCH_ANSWERS[busy_search]


def status_query(window: SlotWindow, service_id: str, statuses: str) -> Query:
    return [(name, statuses if name == "status" else value) for name, value in window.query(service_id)]


# -- bad start values (SLOT-04 in both editions) ----------------------------------------------------
BAD_STARTS: dict[str, Callable[[Query], Query]] = {
    "a start with an unknown prefix": _starts(lambda value: "zz" + value[2:]),
}


def bad_start(window: SlotWindow, service_id: str, name: str) -> Query:
    return _lookup(BAD_STARTS, name)(window.query(service_id))


def _lookup(table: dict[str, T], name: str) -> T:
    if name not in table:
        raise KeyError(f"no slot search variant named {name!r}; the feature file may use: {', '.join(table)}")
    return table[name]
