"""What an action reports: one JSON object on stdout (for programs), one line on stderr (for people).

Every object has ``action``, ``ok`` and ``status`` (the HTTP status of the last response, or
null when there was none); actions add their own fields. Exit codes: 0 the action achieved its
aim, 1 the other side refused or failed, 2 the command was used wrongly.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the HTTP stack is imported only when an action runs (fast --help)
    from spine_conformance.http import ExchangeLog, HttpResponse

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
MAX_DETAIL = 300  # error texts quote the provider's diagnostics, but never at any length


@dataclass(frozen=True)
class Outcome:
    action: str
    ok: bool
    human: str
    status: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> int:
        # A designed fallback (RTEC unavailable → paper declaration) is ok: the action did its job.
        return EXIT_OK if self.ok else EXIT_FAILED

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "ok": self.ok, "status": self.status, **self.fields}


def emit(outcome: Outcome, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    out.write(json.dumps(outcome.as_dict()) + "\n")
    out.flush()
    err.write(outcome.human + "\n")
    err.flush()
    return outcome.code


def usage_error(problems: list[str], err: TextIO = sys.stderr) -> int:
    err.write("spine-conformance consumer: error: " + "; ".join(problems) + "\n")
    return EXIT_USAGE


def failed(action: str, what: str, error: str, status: int | None = None, **fields: Any) -> Outcome:
    return Outcome(action, False, f"{what} failed: {error}", status, {**fields, "error": error})


def refused(action: str, what: str, response: HttpResponse) -> Outcome:
    """The other side answered, but not with what the action needed."""
    return failed(action, what, f"HTTP {response.status}{_diagnostics(response)}", response.status)


def json_object(response: HttpResponse) -> dict[str, Any] | None:
    try:
        body = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _diagnostics(response: HttpResponse) -> str:
    """What an OperationOutcome says went wrong (``: …``), or nothing."""
    body = json_object(response) or {}
    texts = []
    for issue in body.get("issue") or []:
        if isinstance(issue, dict):
            details = issue.get("details") if isinstance(issue.get("details"), dict) else {}
            text = issue.get("diagnostics") or (details or {}).get("text") or issue.get("code")
            if text:
                texts.append(str(text))
    joined = "; ".join(texts)
    return f": {joined[:MAX_DETAIL]}" if joined else ""


def no_response(log: ExchangeLog, problem: Exception) -> str:
    """Why a request got no answer: the HTTP layer's own words (timeout, TLS, refused) if it left any."""
    errors = [exchange.error for exchange in log.exchanges if exchange.error]
    return errors[-1] if errors else str(problem).splitlines()[0]
