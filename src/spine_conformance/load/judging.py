"""Judging each answer under load with the suites' own check functions.

Every check runs independently, so one response can break several rules at once; each finding is
charged to its load requirement (:mod:`spine_conformance.load.requirement_map`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from spine_conformance.checks.appointments import check_cancelled, check_created, check_patient_search, check_read
from spine_conformance.checks.concurrency import check_single_winner
from spine_conformance.checks.responses import check_error_outcome, check_fhir_json
from spine_conformance.checks.slots import (
    SlotWindow,
    check_includes,
    check_searchset,
    check_slots_in_window,
    returned_slots,
)
from spine_conformance.checks.validity import check_valid_resource
from spine_conformance.findings import CheckFailed, Finding, NotTestable
from spine_conformance.http import HttpResponse
from spine_conformance.load.requirement_map import ANSWERED, under_load

T = TypeVar("T")
Judged = tuple[T | None, list[Finding]]
# Bodies of each kind always validated first, so every run validates some of each, whatever the share.
ALWAYS_VALIDATED_PER_NAME = 2


def attempt(check: Callable[[], T]) -> Judged[T]:
    """Run one check: its value, or the findings it raised charged to their load requirements."""
    try:
        return check(), []
    except CheckFailed as failed:
        return None, [under_load(finding) for finding in failed.findings]
    except NotTestable:  # e.g. no free slot in this answer: nothing to judge, nothing broken
        return None, []


def common_findings(response: HttpResponse) -> list[Finding]:
    """Rules every answer keeps under load: media type, OperationOutcome on errors, no server error."""
    findings: list[Finding] = []
    if response.body:
        findings += attempt(lambda: check_fhir_json(response))[1]
    if response.status >= 400:
        findings += attempt(lambda: check_error_outcome(response, response.status, "ERR-01"))[1]
    if response.status >= 500:
        findings.append(Finding(ANSWERED, "no server error (5xx) under load", f"HTTP {response.status}"))
    return findings


def free_slots(response: HttpResponse, window: SlotWindow, base_url: str) -> Judged[list[dict[str, Any]]]:
    """SLOT-01..03 on a slot search answer; the free slots it offers."""
    bundle, findings = attempt(lambda: check_searchset(response))
    if bundle is None:
        return None, findings
    findings += attempt(lambda: check_slots_in_window(bundle, window))[1]
    findings += attempt(lambda: check_includes(bundle, base_url=base_url))[1]
    slots = [slot for slot in returned_slots(bundle) if slot.get("status") == "free" and slot.get("id")]
    return slots, findings


def booking(response: HttpResponse, base_url: str, slot_id: str, conflict_status: int) -> Judged[dict[str, Any]]:
    """APPT-CREATE-01 for a 201; a slot taken meanwhile (the conflict status) is a normal answer under load."""
    if response.status == conflict_status:
        return None, []
    if response.status != 201:
        expected = f"HTTP 201 (or {conflict_status} when the slot was taken meanwhile)"
        return None, [under_load(Finding("APPT-CREATE-01", expected, f"HTTP {response.status}"))]
    return attempt(lambda: check_created(response, base_url, slot_id))


def read(response: HttpResponse, appointment_id: str) -> Judged[dict[str, Any]]:
    return attempt(lambda: check_read(response, appointment_id))


def patient_search(response: HttpResponse, base_url: str, appointment_id: str) -> Judged[dict[str, Any]]:
    bundle, findings = attempt(lambda: check_searchset(response, "APPT-SEARCH-01"))
    if bundle is not None:
        findings += attempt(lambda: check_patient_search(bundle, base_url, appointment_id))[1]
    return bundle, findings


def cancelled(response: HttpResponse, appointment_id: str, previous_version: str) -> Judged[dict[str, Any]]:
    return attempt(lambda: check_cancelled(response, appointment_id, previous_version))


def race_findings(statuses: list[int], winner: int, loser: int, requirement: str, what: str) -> list[Finding]:
    """CONC-03/CONC-04 on a race's answers, naming what was raced for (the slot, or the version)."""
    _, findings = attempt(lambda: check_single_winner(statuses, winner, loser, requirement))
    return [Finding(f.requirement, f.expected, f"{f.actual} in {what}", f.detail) for f in findings]


class ValidationSampler:
    """Which bodies go through the FHIR validator: the first few of each kind, then a random share."""

    def __init__(self, share: float, rng: random.Random) -> None:
        self.share = share
        self._rng = rng
        self._seen: Counter[str] = Counter()

    def wants(self, name: str) -> bool:
        self._seen[name] += 1
        return self._seen[name] <= ALWAYS_VALIDATED_PER_NAME or self._rng.random() < self.share


def validation_findings(response: HttpResponse, name: str) -> Judged[bool]:
    """VAL-01 on a JSON resource body; (True, findings) when a body was validated, (None, []) otherwise."""
    try:
        body = response.json()
    except ValueError:
        return None, []
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        return None, []
    _, findings = attempt(lambda: check_valid_resource(body, f"the {name} answer"))
    return True, findings
