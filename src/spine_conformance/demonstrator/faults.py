"""Named deviations from the specifications that the demonstrator can be switched into.

Each fault names the requirements it violates; the fault-detection tests run the suite against
every fault and expect exactly those requirements to fail. A harness that cannot see a fault
has a check that cannot fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    component: str  # provider | ssp | validator | rtec | consumer
    description: str
    violates: tuple[str, ...]


_FAULTS = (
    Fault(
        "metadata-missing-interactions",
        "provider",
        "the CapabilityStatement leaves out the Appointment update interaction",
        ("META-01",),
    ),
    Fault(
        "metadata-wrong-fhir-version",
        "provider",
        "the CapabilityStatement declares fhirVersion 1.0.2 (DSTU2)",
        ("META-01",),
    ),
    Fault(
        "metadata-plain-json",
        "provider",
        "metadata is served as application/json instead of application/fhir+json",
        ("HTTP-01",),
    ),
)

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _FAULTS}


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

    def __bool__(self) -> bool:
        return bool(self.names)

    def __repr__(self) -> str:
        return f"FaultSet({sorted(self.names)!r})"
