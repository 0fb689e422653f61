"""Named deviations from the specifications that the demonstrator can be switched into.

Each fault names the requirements it violates; the fault-detection tests run the suite against
every fault and expect exactly those requirements to fail. A harness that cannot see a fault
has a check that cannot fail.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Fault:
    name: str
    component: str  # provider | ssp | validator | rtec | consumer
    description: str
    violates: tuple[str, ...]
    # Requirements the fault must draw advisory findings on (rules no published source makes normative).
    advises: tuple[str, ...] = ()
    # The fault leaves the harness nothing to judge (no answer in time): the run must end in error.
    errors: bool = False
    # The fault concerns mutual TLS: the demonstrator runs in its mutual-TLS mode while it is on.
    mutual_tls: bool = False
    # The Booking edition ([spec] edition) the demonstrator must follow for the fault to show.
    edition: str = "1"
    # A tag expression narrowing which of the fault's requirement scenarios its test runs ("" = all of them).
    tags: str = ""

    @property
    def requirements(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.violates + self.advises))


def _load() -> dict[str, Fault]:
    text = resources.files("spine_conformance").joinpath("data/faults.toml").read_text("utf-8")
    entries = tomllib.loads(text)["fault"]
    return {
        entry["name"]: Fault(
            entry["name"],
            entry["component"],
            entry["description"],
            tuple(entry["violates"]),
            tuple(entry.get("advises", ())),
            bool(entry.get("errors", False)),
            bool(entry.get("mutual_tls", False)),
            str(entry.get("edition", "1")),
            str(entry.get("tags", "")),
        )
        for entry in entries
    }


FAULTS: dict[str, Fault] = _load()


class UnknownFault(ValueError):
    pass


class FaultSet:
    """The faults switched on for one demonstrator; immutable once made."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        wanted = frozenset(names)
        unknown = sorted(wanted - FAULTS.keys())
        if unknown:
            raise UnknownFault(f"unknown fault(s): {', '.join(unknown)}; known faults: {', '.join(sorted(FAULTS))}")
        self.names = wanted

    def on(self, name: str) -> bool:
        # A typo here would silently disable a fault, so names are checked against the registry.
        if name not in FAULTS:
            raise UnknownFault(name)
        return name in self.names

    @property
    def need_mutual_tls(self) -> bool:
        return any(FAULTS[name].mutual_tls for name in self.names)

    def __bool__(self) -> bool:
        return bool(self.names)

    def __repr__(self) -> str:
        return f"FaultSet({sorted(self.names)!r})"
