"""What a consumer's search requests must be (BK-seed search_free_slots.md, search_patient_appointments.md).

The booking and cancel bodies have their rules in :mod:`spine_conformance.fhir.booking`; these are
the query-string rules of the two searches. Both the consumer suite (judging what a consumer
sent) and the reference consumer's tests use them; a provider is lenient in what it accepts and
the demonstrator parses queries with the same spec facts from :mod:`spine_conformance.interactions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from spine_conformance.fhir.profiles_admin import is_nhs_number
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.interactions import (
    PATIENT_SEARCH_PARAMETER,
    SEARCH_INSTANT,
    SLOT_INCLUDES,
    SLOT_SERVICE_PARAMETER,
)

Query = Sequence[tuple[str, str]]


class Problem(NamedTuple):
    """Why a request is not the specified one; ``advisory`` when no published rule makes it so."""

    text: str
    advisory: bool = False
    source: str = ""  # the published rule, when the rule table names one (see fhir.rule_sources)


def _values(query: Query, name: str) -> list[str]:
    return [value for key, value in query if key == name]


def _zoned_instant(text: str) -> bool:
    # An unencoded '+' arrives as a space: that is the consumer's encoding defect, so it is not forgiven.
    if not SEARCH_INSTANT.fullmatch(text):
        return False
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def slot_search_problems(query: Query, service_id: str = "") -> list[Problem]:
    """Why a ``GET [base]/Slot`` query is not the specified free-slot search (empty: it is).

    The service, status and the start window are what the interaction is (its parameter table);
    the page lets a consumer pass the _include parameters ("MAY be passed"), so a missing one is
    only advisory.
    """
    problems: list[Problem] = []
    services = _values(query, SLOT_SERVICE_PARAMETER)
    if len(services) != 1 or not services[0].strip():
        problems.append(Problem(f"exactly one {SLOT_SERVICE_PARAMETER} parameter is required (got {len(services)})"))
    elif service_id and services[0] != service_id:
        problems.append(
            Problem(f"{SLOT_SERVICE_PARAMETER} is {services[0]!r}, not the service asked for ({service_id})")
        )
    statuses = _values(query, "status")
    if statuses != ["free"]:
        problems.append(Problem(f"status=free is required, once (got {', '.join(statuses) or 'none'})"))
    starts = _values(query, "start")
    lower = [value[2:] for value in starts if value.startswith("ge")]
    upper = [value[2:] for value in starts if value.startswith("le")]
    if len(starts) != 2 or len(lower) != 1 or len(upper) != 1:
        problems.append(Problem(f"one start=ge… and one start=le… are required (got {', '.join(starts) or 'none'})"))
    for value in lower + upper:
        if not _zoned_instant(value):
            problems.append(Problem(f"start {value!r} is not a date-time to the second with a time zone offset"))
    bounds = [datetime.fromisoformat(value) for value in lower + upper if _zoned_instant(value)]
    if len(lower) == 1 and len(upper) == 1 and len(bounds) == 2 and bounds[1] < bounds[0]:
        problems.append(Problem("the start window ends before it begins"))
    includes = set(_values(query, "_include"))
    missing = [include for include in SLOT_INCLUDES if include not in includes]
    if missing:
        problems.append(Problem(f"it did not ask to _include {', '.join(missing)}", advisory=True))
    return problems


def patient_search_problems(query: Query, nhs_number: str = "") -> list[Problem]:
    """Why a ``GET [base]/Appointment`` query is not the patient appointment search (empty: it is)."""
    values = _values(query, PATIENT_SEARCH_PARAMETER)
    others = sorted({key for key, _ in query} - {PATIENT_SEARCH_PARAMETER, "_format"})
    problems: list[Problem] = []
    if others:
        problems.append(Problem(f"parameters other than {PATIENT_SEARCH_PARAMETER}: {', '.join(others)}", True))
    if len(values) != 1:
        problems.append(Problem(f"exactly one {PATIENT_SEARCH_PARAMETER} parameter is required (got {len(values)})"))
        return problems
    system, bar, number = values[0].partition("|")
    if not bar or system != NHS_NUMBER_SYSTEM:
        problems.append(Problem(f"{PATIENT_SEARCH_PARAMETER} must be {NHS_NUMBER_SYSTEM}|<NHS number>"))
    elif not is_nhs_number(number):
        problems.append(Problem("the NHS number it sent is not a valid NHS number (10 digits, Modulus 11)"))
    elif nhs_number and number != nhs_number:
        problems.append(Problem("it searched for another NHS number than the patient it was asked about"))
    return problems
