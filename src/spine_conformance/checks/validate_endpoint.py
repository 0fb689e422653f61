"""VAL-02: a $validate endpoint answers with an OperationOutcome and rejects an invalid resource."""

from __future__ import annotations

from typing import Any

from spine_conformance.checks.responses import json_body
from spine_conformance.fhir import outcome_problems
from spine_conformance.fhir.outcome import NO_ID_PROBLEM
from spine_conformance.findings import FindingCollector, require
from spine_conformance.http import HttpResponse

ERROR_SEVERITIES = ("fatal", "error")


def _outcome(response: HttpResponse) -> dict[str, Any]:
    body = json_body(response, "VAL-02")
    problems = outcome_problems(body) if isinstance(body, dict) else ["not a JSON object"]
    require(
        isinstance(body, dict) and body.get("resourceType") == "OperationOutcome",
        "VAL-02",
        "an OperationOutcome",
        body.get("resourceType") if isinstance(body, dict) else type(body).__name__,
    )
    # An id is required of error outcomes (ERR-01), not of a $validate answer.
    wrong = [problem for problem in problems if problem != NO_ID_PROBLEM]
    require(not wrong, "VAL-02", "a well-formed OperationOutcome", "; ".join(wrong))
    return body  # type: ignore[no-any-return]


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in body.get("issue") or [] if isinstance(i, dict) and i.get("severity") in ERROR_SEVERITIES]


def check_accepts_valid(response: HttpResponse) -> None:
    body = _outcome(response)
    out = FindingCollector()
    out.expect(200 <= response.status < 300, "VAL-02", "2xx for a valid resource", f"HTTP {response.status}")
    errors = _errors(body)
    out.expect(
        not errors,
        "VAL-02",
        "no error issues for a valid resource",
        "; ".join(str(i.get("diagnostics", i.get("code"))) for i in errors),
    )
    out.raise_if_any()


def check_rejects_invalid(response: HttpResponse) -> None:
    body = _outcome(response)
    require(response.status < 500, "VAL-02", "a 2xx or 4xx answer", f"HTTP {response.status}")
    require(
        bool(_errors(body)),
        "VAL-02",
        "at least one error issue for an invalid resource",
        f"HTTP {response.status} with severities {[i.get('severity') for i in body.get('issue') or []]}",
    )
