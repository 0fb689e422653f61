"""Which load requirement a finding of the suites' checks counts against when it is seen under load."""

from __future__ import annotations

from spine_conformance.findings import Finding

SLOT_ONCE = "LOAD-01"  # CONC-04 under load, and no slot held twice afterwards
NO_LOST_UPDATE = "LOAD-02"  # CONC-03 under load, and every accepted cancel kept
NOTHING_LOST = "LOAD-03"  # every 201 readable afterwards
ERROR_OUTCOMES = "LOAD-04"  # ERR-01 under load
MEDIA_TYPE = "LOAD-05"  # HTTP-01 under load
ANSWERED = "LOAD-06"  # no 5xx, no dropped request
INTERACTIONS = "LOAD-07"  # each interaction's own checks, VAL-01 on a sample
LATENCY = "LOAD-08"  # advisory response-time budget

LOAD_REQUIREMENTS = (
    SLOT_ONCE,
    NO_LOST_UPDATE,
    NOTHING_LOST,
    ERROR_OUTCOMES,
    MEDIA_TYPE,
    ANSWERED,
    INTERACTIONS,
    LATENCY,
)

# The suite requirements with a load variant of their own; every other check's finding is one of
# the interaction's own rules (SLOT-*, APPT-*, VAL-01, TLS-01, ...), judged together as LOAD-07.
_VARIANTS = {
    "CONC-04": SLOT_ONCE,
    "CONC-03": NO_LOST_UPDATE,
    "ERR-01": ERROR_OUTCOMES,
    "HTTP-01": MEDIA_TYPE,
}


def load_requirement_for(suite_requirement: str) -> str:
    return _VARIANTS.get(suite_requirement, INTERACTIONS)


UNDER_LOAD = " under load"


def under_load(finding: Finding) -> Finding:
    """The finding charged to its load requirement; the suite requirement it broke stays in the detail."""
    detail = f"{finding.requirement}{UNDER_LOAD}" + (f": {finding.detail}" if finding.detail else "")
    return Finding(load_requirement_for(finding.requirement), finding.expected, finding.actual, detail)


def suite_requirement_of(detail: str) -> str:
    """The suite requirement an :func:`under_load` finding broke ("" for a finding of a load rule itself)."""
    head, found, _ = detail.partition(UNDER_LOAD)
    return head if found else ""
