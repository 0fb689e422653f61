"""Did the consumer under test do what it was asked, and did it work? (CON-SLOT-01 … CON-CANCEL-01)

How a consumer sends (SSP URL, headers, token) is judged in :mod:`.consumer`; here it is *what*
it asked: the request must be the one its interaction specifies, the provider must have
accepted it, and the consumer must report success. A consumer whose search the provider
refused, or that exits non-zero, has not done what it was asked, however well its headers
were formed. When the virtual SSP could not reach the provider, nothing about the consumer
can be judged: that is an error of the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from spine_conformance.appointments.request_rules import Problem, patient_search_problems, slot_search_problems
from spine_conformance.checks.consumer import interaction_of
from spine_conformance.fhir.booking import booking_problems, cancel_problems
from spine_conformance.fhir.outcome import Issue
from spine_conformance.findings import ADVISORY, NORMATIVE, FindingCollector, HarnessError
from spine_conformance.interactions import Interaction, relative_to_base
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.ssp import forwarded_target
from spine_conformance.virtual.triggers import ActionResult

RequestRules = Callable[[RecordedRequest], list[Problem]]


@dataclass(frozen=True)
class Asked:
    """What the consumer was asked to do, and how to tell it did."""

    what: str  # "search for free slots"
    interaction: Interaction
    requirement: str
    accepted: tuple[int, ...]  # the provider statuses that mean the request worked


SEARCH_SLOTS = Asked("search for free slots", Interaction.SEARCH_SLOT, "CON-SLOT-01", (200,))
BOOK = Asked("book a free slot", Interaction.CREATE_APPOINTMENT, "CON-BOOK-01", (201,))
SEARCH_APPOINTMENTS = Asked("list the patient's appointments", Interaction.SEARCH_APPOINTMENT, "CON-SEARCH-01", (200,))
READ = Asked("read an appointment", Interaction.READ_APPOINTMENT, "CON-READ-01", (200,))
CANCEL = Asked("cancel an appointment", Interaction.UPDATE_APPOINTMENT, "CON-CANCEL-01", (200,))


def require_acted(requests: Sequence[RecordedRequest], result: ActionResult, what: str) -> None:
    """With nothing sent there is nothing to judge: an error of the run, with what the consumer said."""
    if requests:
        return
    raise HarnessError(
        f"asked to {what}, the consumer under test sent no request ({result.outcome_text()}); check its "
        "consumer_under_test command: it must use {ssp_url} (or {exemption_url}) and trust {ca_bundle}",
        "the consumer under test sent no request when asked to act (see its consumer_under_test settings)",
    )


def require_forwarded(requests: Sequence[RecordedRequest]) -> None:
    """A 502/504 the virtual SSP made itself (the provider unreachable) says nothing about the consumer."""
    for request in requests:
        if request.error:
            raise HarnessError(
                f"the virtual SSP could not forward {request.method} {request.raw_path[:120]}: {request.error}",
                request.error,
            )


def check_asked(
    asked: Asked,
    result: ActionResult,
    requests: Sequence[RecordedRequest],
    provider_base_url: str,
    rules: RequestRules,
) -> None:
    """The requests of the asked interaction are the specified ones, accepted, and the consumer reports success."""
    require_forwarded(requests)
    out = FindingCollector()
    rid = asked.requirement
    mine = [r for r in requests if interaction_of(r, provider_base_url) is asked.interaction]
    if out.expect(
        bool(mine),
        rid,
        f"a {asked.interaction.value} request, having been asked to {asked.what}",
        "sent only: " + ", ".join(sorted({str(_name(r, provider_base_url)) for r in requests})),
    ):
        for request in mine:
            where = f"{request.method} {request.raw_path[:120]}"
            for problem in rules(request):
                severity = ADVISORY if problem.advisory else NORMATIVE
                expected = f"the {asked.interaction.value} request its interaction specifies"
                out.add(rid, expected, problem.text, where, severity=severity, source=problem.source)
            out.expect(
                request.status in asked.accepted,
                rid,
                f"the provider to accept it (HTTP {' or '.join(map(str, asked.accepted))})",
                f"HTTP {request.status}{_diagnostics(request)}",
                where,
            )
    out.expect(
        result.succeeded,
        rid,
        f"the consumer to report that it did {asked.what} (exit status 0)",
        result.outcome_text(),
        result.command[:200],
    )
    out.raise_if_any()


def _name(request: RecordedRequest, provider_base_url: str) -> str:
    interaction = interaction_of(request, provider_base_url)
    return interaction.value if interaction is not None else f"{request.method} {request.raw_path[:80]}"


def _diagnostics(request: RecordedRequest) -> str:
    try:
        body = json.loads(request.response_body)
    except (ValueError, UnicodeDecodeError):
        return ""
    issues = body.get("issue") if isinstance(body, dict) else None
    texts = [
        str(issue.get("diagnostics") or issue.get("code"))
        for issue in issues or []
        if isinstance(issue, dict) and (issue.get("diagnostics") or issue.get("code"))
    ]
    return f": {'; '.join(texts)[:300]}" if texts else ""


# -- the request rules of each interaction ------------------------------------------------------------
def slot_search_rules(service_id: str) -> RequestRules:
    return lambda request: slot_search_problems(parse_qsl(request.query, keep_blank_values=True), service_id)


def patient_search_rules(nhs_number: str) -> RequestRules:
    return lambda request: patient_search_problems(parse_qsl(request.query, keep_blank_values=True), nhs_number)


def _problem(issue: Issue) -> Problem:
    return Problem(f"{issue.expression}: {issue.diagnostics}", advisory=not issue.is_error, source=issue.source)


def booking_rules(request: RecordedRequest) -> list[Problem]:
    body = _json(request)
    if not isinstance(body, dict):
        return [Problem("the body is not a JSON Appointment")]
    return [_problem(issue) for issue in booking_problems(body)]


def read_rules(appointment_id: str, provider_base_url: str) -> RequestRules:
    def rules(request: RecordedRequest) -> list[Problem]:
        relative = relative_to_base(forwarded_target(request.raw_path) or "", provider_base_url) or ""
        if relative.split("/_history/")[0] != f"Appointment/{appointment_id}":
            return [Problem(f"it read {relative or request.raw_path!r}, not the appointment it was asked about")]
        return []

    return rules


def cancel_rules(requests: Sequence[RecordedRequest], booked: dict[str, Any], provider_base_url: str) -> RequestRules:
    """The PUT is the appointment as the consumer last read it, with status cancelled and nothing else changed."""

    def rules(request: RecordedRequest) -> list[Problem]:
        submitted = _json(request)
        if not isinstance(submitted, dict):
            return [Problem("the body is not a JSON Appointment")]
        current = _last_read(requests, request, provider_base_url) or booked
        return [_problem(issue) for issue in cancel_problems(current, submitted)]

    return rules


def _last_read(
    requests: Sequence[RecordedRequest], update: RecordedRequest, provider_base_url: str
) -> dict[str, Any] | None:
    target = forwarded_target(update.raw_path)
    position = next((i for i, request in enumerate(requests) if request is update), len(requests))
    earlier = requests[:position]
    for request in reversed(earlier):
        if (
            interaction_of(request, provider_base_url) is Interaction.READ_APPOINTMENT
            and forwarded_target(request.raw_path) == target
            and request.status == 200
        ):
            body = _json(request, response=True)
            return body if isinstance(body, dict) else None
    return None


def _json(request: RecordedRequest, response: bool = False) -> Any:
    try:
        return json.loads(request.response_body if response else request.body)
    except (ValueError, UnicodeDecodeError):
        return None
