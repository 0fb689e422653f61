"""Refusals pinned to the status a published source names, never "any 4xx".

A :class:`Pinned` answer says which statuses the sources allow for one defect and why (the sentence
that names them); where a defect is two things at once (a wrong resourceType is both "simply
invalid", 400, and not valid against the profile, 422) both are allowed and the reason says so. A
status a SHOULD names is ``tolerated``: any other refusal is an advisory finding, not a failure.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from spine_conformance.checks.responses import check_error_outcome, describe_statuses, resource_body
from spine_conformance.checks.slots import check_searchset
from spine_conformance.findings import ADVISORY, FindingCollector, note_evaluated, require
from spine_conformance.http import HttpResponse, ResponseNotJson


@dataclass(frozen=True)
class Pinned:
    """The answers the sources allow for one request: ``statuses``; ``tolerated`` ones draw an advisory."""

    statuses: frozenset[int]
    why: str
    tolerated: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *statuses: int, why: str, tolerated: Collection[int] = ()) -> Pinned:
        return cls(frozenset(statuses), why, frozenset(tolerated))


def check_pinned(response: HttpResponse, pinned: Pinned, requirement: str) -> None:
    """The answer is one ``pinned`` allows: a 4xx with an OperationOutcome, or a 200 searchset."""
    status = response.status
    if status not in pinned.statuses | pinned.tolerated:
        # Fails on the status; a refusal at another status still has its OperationOutcome judged (ERR-01).
        check_error_outcome(response, pinned.statuses, requirement, pinned.why)
    if status in pinned.tolerated:
        out = FindingCollector()
        expected = describe_statuses(sorted(pinned.statuses))
        out.add(requirement, expected, f"HTTP {status}", pinned.why, severity=ADVISORY)
        out.raise_if_any()
    if status == 200:
        check_searchset(response, requirement)
    else:
        check_error_outcome(response, status, requirement)


def check_refused_or_ignored(response: HttpResponse, pinned: Pinned, requirement: str, sent_id: str) -> None:
    """``pinned``, or a 201 whose id is the provider's own: what FHIR's create says of an id sent ("SHALL ignore")."""
    if response.status != 201:
        check_pinned(response, pinned, requirement)
        return
    body = resource_body(response, "Appointment", requirement)
    require(
        body.get("id") not in (None, "", sent_id),
        requirement,
        f"{describe_statuses(sorted(pinned.statuses))}, or a 201 with an id of the provider's own",
        f"HTTP 201 with id {body.get('id')!r}",
        pinned.why,
    )


def check_ssp_refusal(response: HttpResponse, status: int, requirement: str = "SSP-HDR-06") -> None:
    """The SSP refused the request itself: ``status`` and an OperationOutcome (the SSP's own: issue.code only)."""
    require(
        response.status == status,
        requirement,
        f"HTTP {status} from the SSP",
        f"HTTP {response.status}",
        "SC resources_error_handling.md: a missing or malformed header is 400 MISSING_OR_INVALID_HEADER, "
        "an ASID or interaction not authorised 403 forbidden",
    )
    try:
        body = response.json()
    except ResponseNotJson as exc:
        body, why = None, str(exc)
    else:
        why = f"resourceType {body.get('resourceType') if isinstance(body, dict) else type(body).__name__}"
    note_evaluated(requirement)
    require(
        isinstance(body, dict) and body.get("resourceType") == "OperationOutcome",
        requirement,
        "an OperationOutcome",
        why,
    )
