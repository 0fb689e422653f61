"""After the load: the provider's state read back through its API, judged, then cleaned up.

Every appointment the consumers saw created is read again. From those reads: each slot is held by at
most one appointment that is not cancelled (LOAD-01), every accepted cancel is still in force and
its version superseded (LOAD-02), and every 201 is readable (LOAD-03). Then every appointment of the
run still booked is cancelled, so a shared target is left as it was found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.requests import cancel, read
from spine_conformance.checks.slots import reference_key
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.fhir.versioning import if_match_for, version_of
from spine_conformance.findings import CheckFailed, Finding
from spine_conformance.http import HttpResponse, TargetUnreachable
from spine_conformance.load.observations import AcceptedCancel
from spine_conformance.load.requirement_map import NO_LOST_UPDATE, NOTHING_LOST, SLOT_ONCE
from spine_conformance.redact import Redactor

READERS = 8  # parallel reads: thousands of appointments must not take minutes
EVIDENCE_PER_REQUIREMENT = 3


@dataclass(frozen=True)
class ReadBack:
    """One appointment as read after the run (status 0: no answer)."""

    status: int
    appointment: dict[str, Any] | None
    etag: str | None
    response: HttpResponse | None = None

    @property
    def booked(self) -> bool:
        return self.appointment is not None and self.appointment.get("status") != "cancelled"


@dataclass
class Audit:
    planned: int = 0  # appointments to read back
    read: dict[str, ReadBack] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # requirement -> redacted exchanges
    problem: str = ""  # why not every appointment could be read back
    cleaned: int = 0
    left_booked: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problem and len(self.read) == self.planned


def state_findings(
    created: Mapping[str, str], cancels: Iterable[AcceptedCancel], read_back: Mapping[str, ReadBack]
) -> list[Finding]:
    """The rules on what was read back; appointments that could not be read are judged by nothing else."""
    findings: list[Finding] = []
    holders: dict[str, list[str]] = defaultdict(list)
    for appointment_id in sorted(created):
        current = read_back.get(appointment_id)
        if current is None or current.status == 0:
            continue  # not read (a deadline, or no answer): the audit says it is incomplete
        if current.status != 200 or current.appointment is None:
            findings.append(
                Finding(
                    NOTHING_LOST,
                    f"Appointment/{appointment_id}, answered 201 during the run, to be readable afterwards",
                    f"HTTP {current.status}",
                )
            )
            continue
        if current.booked:
            holders[_slot_of(current.appointment, created[appointment_id])].append(appointment_id)
    for slot, ids in sorted(holders.items()):
        if len(ids) > 1:
            findings.append(
                Finding(
                    SLOT_ONCE,
                    f"{slot} held by at most one appointment that is not cancelled",
                    f"{len(ids)} appointments hold {slot}: " + ", ".join(f"Appointment/{i}" for i in ids),
                    "read back after the load run",
                )
            )
    for accepted in cancels:
        current = read_back.get(accepted.appointment_id)
        if current is None or current.appointment is None:
            continue
        if not _still_cancelled(current.appointment, accepted):
            findings.append(
                Finding(
                    NO_LOST_UPDATE,
                    f"Appointment/{accepted.appointment_id} to stay cancelled, its version {accepted.from_version} "
                    f"superseded (the cancel was accepted as version {accepted.to_version or '?'})",
                    f"status {current.appointment.get('status')}, version {version_of(current.appointment)}",
                    "read back after the load run",
                )
            )
    return findings


def _slot_of(appointment: dict[str, Any], booked_slot: str) -> str:
    references = [s.get("reference") for s in appointment.get("slot") or [] if isinstance(s, dict)]
    return reference_key(str(references[0])) if references else f"Slot/{booked_slot}"


def _still_cancelled(appointment: dict[str, Any], accepted: AcceptedCancel) -> bool:
    version = version_of(appointment)
    if appointment.get("status") != "cancelled" or version == accepted.from_version:
        return False
    if version.isdigit() and accepted.to_version.isdigit():
        return int(version) >= int(accepted.to_version)
    return True


# -- reading back and cleaning up ---------------------------------------------------------------------


def read_back_all(provider: ProviderClient, ids: Iterable[str], deadline_s: float) -> tuple[dict[str, ReadBack], str]:
    """Read every appointment (in parallel, within the deadline); the reads, and why any are missing."""
    results: dict[str, ReadBack] = {}
    problem = _in_parallel(lambda appointment_id: _read_one(provider, appointment_id), ids, deadline_s, results)
    return results, problem


def _read_one(provider: ProviderClient, appointment_id: str) -> ReadBack:
    try:
        response = read(provider, appointment_id, label="read back after the load")
    except (TargetUnreachable, CheckFailed):
        return ReadBack(0, None, None)
    body = _json(response)
    appointment = body if response.status == 200 and body.get("resourceType") == "Appointment" else None
    return ReadBack(response.status, appointment, response.headers.get("etag"), response)


def clean_up(provider: ProviderClient, read_back: Mapping[str, ReadBack], deadline_s: float) -> tuple[int, list[str]]:
    """Cancel every appointment of the run still booked; how many were cancelled, and which were not."""
    booked = [i for i, current in read_back.items() if current.booked]
    outcomes: dict[str, bool] = {}

    def cancel_one(appointment_id: str) -> bool:
        current = read_back[appointment_id]
        assert current.appointment is not None
        try:
            answer = cancel(
                provider, current.appointment, if_match_for(current.etag, current.appointment), label="clean-up cancel"
            )
        except (TargetUnreachable, CheckFailed):
            return False
        return answer.status == 200

    _in_parallel(cancel_one, booked, deadline_s, outcomes)
    left = sorted(i for i in booked if not outcomes.get(i, False))
    return len(booked) - len(left), left


def _in_parallel(work: Callable[[str], Any], ids: Iterable[str], deadline_s: float, results: dict[str, Any]) -> str:
    pending_ids = list(ids)
    if not pending_ids:
        return ""
    deadline = monotonic() + deadline_s
    pool = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="load-audit")
    futures: dict[Future[Any], str] = {pool.submit(work, i): i for i in pending_ids}
    try:
        pending = set(futures)
        while pending:
            remaining = deadline - monotonic()
            if remaining <= 0:
                return f"{len(pending)} of {len(pending_ids)} appointments were not reached within {deadline_s:g} s"
            done, pending = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
            for future in done:
                results[futures[future]] = future.result()
        return ""
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def keep_evidence(audit: Audit, redactor: Redactor) -> None:
    """The first read-backs behind each finding, redacted (synthetic patients' NHS numbers included)."""
    for finding in audit.findings:
        kept = audit.evidence.setdefault(finding.requirement, [])
        if len(kept) >= EVIDENCE_PER_REQUIREMENT:
            continue
        for appointment_id in _ids_named(finding.expected + " " + finding.actual):
            current = audit.read.get(appointment_id)
            if current is not None and current.response is not None and len(kept) < EVIDENCE_PER_REQUIREMENT:
                for number in nhs_numbers_in(current.appointment or {}):
                    redactor.protect("nhs-number", number)
                kept.append(redactor.exchange(current.response.exchange.as_dict()))


def _ids_named(text: str) -> list[str]:
    return [word.split("/", 1)[1].rstrip(",") for word in text.split() if word.startswith("Appointment/")]


def nhs_numbers_in(resource: Any) -> list[str]:
    """Every NHS number identifier anywhere in a resource (contained patients, participants)."""
    found: list[str] = []
    if isinstance(resource, dict):
        if resource.get("system") == NHS_NUMBER_SYSTEM and isinstance(resource.get("value"), str):
            found.append(resource["value"])
        for value in resource.values():
            found += nhs_numbers_in(value)
    elif isinstance(resource, list):
        for item in resource:
            found += nhs_numbers_in(item)
    return found


def _json(response: HttpResponse) -> dict[str, Any]:
    try:
        body = json.loads(response.body)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
