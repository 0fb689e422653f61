"""The reference consumer's Real Time Exemption Check (digest B), as a dispensing system makes it.

1. Not in a situation that forbids it (a user without the right, a prisoner on release, an EPS R1
   prescription, a deceased patient, a claim amendment, …), not for patients exempt by age (FR-20),
   not twice for one prescription, never by polling (FR-23/31): see :mod:`.policy`. Demographics
   the service cannot take (not ASCII, malformed) are never sent (FR-8).
2. A JSON POST of exactly the five fields, with a new unsigned flat-claims JWT and ``Ssp-From``
   carrying the ASID (RTEC-REQ-01..04), over TLS that verifies the server.
3. 200: the exemption type is shown and used. 404 is *not* "no exemption" (FR-40): the patient
   is asked for their paper declaration. Anything else (another status, a timeout, a TLS or
   connection failure) ends the check at once, without a retry, and falls back to the paper
   declaration too (FR-42): dispensing never waits for RTEC.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from spine_conformance.config.model import TargetConfig
from spine_conformance.consumer import deviations
from spine_conformance.consumer.deviations import Faults
from spine_conformance.consumer.memory import answers_by_patient, reused_token
from spine_conformance.consumer.output import Outcome, json_object, no_response
from spine_conformance.consumer.policy import CheckedPrescriptions, age_exemption, state_forbids_check
from spine_conformance.exemption.fields import request_problems
from spine_conformance.findings import CheckFailed
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse, TargetUnreachable
from spine_conformance.tokens import bearer

ACTION = "check-exemption"
SOURCE = "NHSBSA Real Time Exemption Checking"  # FR-27: show where the information came from
NOT_CONFIRMED = "ask the patient for their paper declaration"
UNAVAILABLE = "RTEC unavailable: ask the patient for their paper declaration"
# The no-unavailable-notice fault: the fallback without telling the user the service is unavailable.
SILENT_FALLBACK = "ask the patient for their paper declaration"


class InvalidPatientData(ValueError):
    """FR-8: malformed demographics are not sent; the problems name each field."""


@dataclass(frozen=True)
class ExemptionCheck:
    dob: str
    nhs_number: str
    surname: str
    postcode: str
    prescription_id: str
    state: str = ""  # the situation the dispensing system is in (virtual.states), "" for none

    def fields(self) -> dict[str, str]:
        """The five request fields, in the documented order."""
        return {
            "dob": self.dob,
            "nhsNumber": self.nhs_number,
            "postcode": self.postcode,
            "surname": self.surname,
            "prescriptionId": self.prescription_id,
        }


def check_exemption(
    check: ExemptionCheck,
    target: TargetConfig,
    faults: Faults,
    state: CheckedPrescriptions,
    today: date | None = None,
    clock: Callable[[], float] = time.time,
) -> Outcome:
    forbidden = state_forbids_check(check.state, faults)
    if forbidden is not None:
        return Outcome(ACTION, True, f"no exemption check: {forbidden}", None, {"checked": False, "reason": forbidden})
    problems = request_problems(check.fields())
    if "sends-non-ascii" in faults:  # sends demographics as they are, whatever characters they hold
        problems = {name: problem for name, problem in problems.items() if "ASCII" not in problem}
    if problems:
        raise InvalidPatientData("; ".join(f"{name} {problem}" for name, problem in problems.items()))
    skipped = _not_to_be_checked(check, faults, state, today or date.today())
    if skipped is not None:
        return Outcome(ACTION, True, f"no exemption check: {skipped}", None, {"checked": False, "reason": skipped})
    reused = answers_by_patient(state).reuse(check, faults)
    if reused is not None:
        return reused
    log = ExchangeLog()
    http = HarnessHttp(target.tls, target.http, log, context=deviations.client_tls_context(target.tls, faults))
    try:
        response = _post(http, check, target, faults, clock, state)
    except (TargetUnreachable, CheckFailed) as problem:  # no answer: timeout, TLS, connection
        return _unavailable(no_response(log, problem), None, faults)
    finally:
        http.close()
    outcome = _answer(response, faults)
    answers_by_patient(state).keep(check, outcome, faults)
    return outcome


def _not_to_be_checked(check: ExemptionCheck, faults: Faults, state: CheckedPrescriptions, today: date) -> str | None:
    """Why no request is made (exempt by age, already checked), or None to go ahead."""
    if check.state == "claim-amendment":  # only under checks-claim-amendments: it checks again, regardless
        state.record(check.prescription_id)
        return None
    if "checks-any-age" not in faults:
        by_age = age_exemption(date.fromisoformat(check.dob), today)
        if by_age is not None:
            return by_age
    if "rechecks" in faults:
        state.record(check.prescription_id)
        return None
    return None if state.claim(check.prescription_id) else "already checked"


def _post(
    http: HarnessHttp,
    check: ExemptionCheck,
    target: TargetConfig,
    faults: Faults,
    clock: Callable[[], float],
    state: CheckedPrescriptions,
) -> HttpResponse:
    url = target.exemption.url
    # A new token for every request (RTEC: "SHALL generate a new JWT for each API request").
    claims = deviations.rtec_token_claims(target.consumer, url, faults, int(clock()), check.state)
    token = deviations.encode_rtec_token(claims, faults)
    if "rtec-reused-token" in faults:
        token = reused_token(state.directory, token, int(clock()))
    headers = deviations.rtec_headers(bearer(token), target.consumer.asid, faults)
    body = deviations.rtec_body(check.fields(), faults)
    return http.send(
        "POST", url, headers=headers, content=json.dumps(body).encode(), label="exemption check", interaction=ACTION
    )


def _answer(response: HttpResponse, faults: Faults) -> Outcome:
    body = json_object(response) or {}
    if response.status == 200 and isinstance(body.get("type"), str) and body["type"]:
        return _found(response.status, body)
    if response.status == 404:
        # FR-40: the service did not confirm an exemption; that is not "no exemption".
        human = f"RTEC did not confirm an exemption: {NOT_CONFIRMED}"
        return Outcome(ACTION, True, human, 404, {"checked": True, "exempt": None, "fallback": NOT_CONFIRMED})
    if response.status == 200:
        return _unavailable("HTTP 200 without an exemption type", 200, faults)
    return _unavailable(f"HTTP {response.status}", response.status, faults)


def _found(status: int, body: dict[str, Any]) -> Outcome:
    exemption_type = str(body["type"])
    message = str(body.get("message") or "")
    fields = {"checked": True, "exempt": True, "type": exemption_type, "message": message, "source": SOURCE}
    # FR-49.2: show the type; FR-27: and where it came from.
    human = f"exemption found: type {exemption_type} ({message or 'no message'}); source: {SOURCE}"
    return Outcome(ACTION, True, human, status, fields)


def _unavailable(error: str, status: int | None, faults: Faults) -> Outcome:
    """FR-40/42: say the service is unavailable, give up at once and ask for the paper declaration
    (under no-fallback it does not fall back; under no-unavailable-notice it does not say why)."""
    if "no-fallback" in faults:
        fields = {"checked": True, "exempt": None, "error": error}
        return Outcome(ACTION, False, f"exemption check failed: {error}", status, fields)
    fallback = SILENT_FALLBACK if "no-unavailable-notice" in faults else UNAVAILABLE
    fields = {"checked": True, "exempt": None, "error": error, "fallback": fallback}
    return Outcome(ACTION, True, f"exemption check failed ({error}); {fallback}", status, fields)


# The polls fault: a detached process keeps checking, unprompted, for this long after the action.
POLL_FOR_S = 4.0
POLL_EVERY_S = 0.5


def start_polling(arguments: list[str]) -> None:
    """Go on checking with nobody asking (the polls fault), in a process that outlives this action."""
    again = [*_without_fault(arguments, "polls"), "--fault", "rechecks", "--poll-for-s", str(POLL_FOR_S)]
    subprocess.Popen(  # its own session and no inherited pipes, so the action's caller is not kept waiting
        [sys.executable, "-m", "spine_conformance", *again],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _without_fault(arguments: list[str], name: str) -> list[str]:
    kept: list[str] = []
    words = iter(arguments)
    for word in words:
        if word == "--fault":
            value = next(words, "")
            if value != name:
                kept += [word, value]
        elif word != f"--fault={name}":
            kept.append(word)
    return kept


def poll(run_check: Callable[[], Outcome], for_s: float, every_s: float = POLL_EVERY_S) -> Outcome:
    """Check again and again until ``for_s`` has passed (what a polling client does)."""
    deadline = time.monotonic() + for_s
    outcome = run_check()
    pause = threading.Event()
    while time.monotonic() + every_s < deadline:
        pause.wait(every_s)
        outcome = run_check()
    return outcome
