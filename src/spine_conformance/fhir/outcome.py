"""Spine OperationOutcome: building our own error responses and judging other people's.

Spine-core (FHIR-SpineCore ``resources_error_handling``) says an error response carries an
OperationOutcome whose issues have an STU3 ``severity`` and ``code`` and, for provider errors, a
Spine error code in ``issue.details.coding``. UEC adds that every 4xx/5xx outcome has at least an
``id``, ``issue.severity`` and ``issue.code``; :func:`outcome_problems` checks exactly that.

Conventions of this project (the specs leave them open):
* slot no longer free → :data:`DUPLICATE_REJECTED` with diagnostics :data:`SLOT_NO_LONGER_AVAILABLE`;
* version conflict (409) and missing ``If-Match`` (412) → :data:`INVALID_REQUEST_MESSAGE`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SPINE_OUTCOME_PROFILE = "https://fhir.nhs.uk/STU3/StructureDefinition/Spine-OperationOutcome-1"
SPINE_ERROR_SYSTEM = "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1"
FHIR_JSON = "application/fhir+json"

# Spine-ErrorOrWarningCode-1 codes (displays as tabulated in FHIR-SpineCore error handling).
BAD_REQUEST = "BAD_REQUEST"
INVALID_RESOURCE = "INVALID_RESOURCE"
INVALID_PARAMETER = "INVALID_PARAMETER"
MISSING_OR_INVALID_HEADER = "MISSING_OR_INVALID_HEADER"
NO_RECORD_FOUND = "NO_RECORD_FOUND"
ACCESS_DENIED = "ACCESS_DENIED"
INVALID_REQUEST_MESSAGE = "INVALID_REQUEST_MESSAGE"
REFERENCE_NOT_FOUND = "REFERENCE_NOT_FOUND"
DUPLICATE_REJECTED = "DUPLICATE_REJECTED"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
FHIR_CONSTRAINT_VIOLATION = "FHIR_CONSTRAINT_VIOLATION"
INVALID_NHS_NUMBER = "INVALID_NHS_NUMBER"
MESSAGE_NOT_WELL_FORMED = "MESSAGE_NOT_WELL_FORMED"

SPINE_CODE_DISPLAY: dict[str, str] = {
    BAD_REQUEST: "Bad request",
    INVALID_RESOURCE: "Invalid validation of resource",
    INVALID_PARAMETER: "Invalid parameter",
    MISSING_OR_INVALID_HEADER: "There is a required header missing or invalid",
    NO_RECORD_FOUND: "No record found",
    ACCESS_DENIED: "Access has been denied to process this request",
    INVALID_REQUEST_MESSAGE: "Invalid Request Message",
    REFERENCE_NOT_FOUND: "Referenced resource not found",
    DUPLICATE_REJECTED: "Create would lead to creation of a duplicate resource",
    UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
    INTERNAL_SERVER_ERROR: "Unexpected internal server error",
    NOT_IMPLEMENTED: "FHIR resource or operation not implemented at server",
    FHIR_CONSTRAINT_VIOLATION: "FHIR constraint violated",
    INVALID_NHS_NUMBER: "NHS number invalid",
    MESSAGE_NOT_WELL_FORMED: "Message not well formed",
}

SLOT_NO_LONGER_AVAILABLE = "Slot no longer available"
# issue.details.text of an issue that cites its rule (see Issue.source).
RULE_SOURCE_PREFIX = "Rule source: "

ISSUE_SEVERITIES = frozenset({"fatal", "error", "warning", "information"})
# STU3 http://hl7.org/fhir/issue-type (all levels of the hierarchy are valid codes).
ISSUE_TYPES = frozenset(
    {
        "invalid", "structure", "required", "value", "invariant", "security", "login", "unknown",
        "expired", "forbidden", "suppressed", "processing", "not-supported", "duplicate", "not-found",
        "too-long", "code-invalid", "extension", "too-costly", "business-rule", "conflict",
        "incomplete", "transient", "lock-error", "no-store", "exception", "timeout", "throttled",
        "informational",
    }
)  # fmt: skip

_STATUS_ISSUE_CODE: dict[int, str] = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "processing",
    429: "throttled",
    500: "exception",
    502: "transient",
    503: "transient",
    504: "transient",
}


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue, independent of its JSON shape."""

    severity: str  # fatal|error|warning|information
    code: str  # STU3 issue-type code, e.g. invalid, required, value, code-invalid, business-rule
    diagnostics: str
    expression: str = ""  # FHIRPath-like location, e.g. "Appointment.participant[0].actor"
    spine_code: str = ""
    # The published rule this issue applies ("title (version): https://..."), filled by the rule
    # tables of the validator and the booking rules; "" for issues the harness builds itself.
    source: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity in ("fatal", "error")

    def describe(self) -> str:
        where = f"{self.expression}: " if self.expression else ""
        return f"{self.severity}/{self.code} {where}{self.diagnostics}"


def issue_code_for_status(http_status: int) -> str:
    """The STU3 issue-type code we use for an HTTP error status (``exception`` when unknown)."""
    if http_status in _STATUS_ISSUE_CODE:
        return _STATUS_ISSUE_CODE[http_status]
    return "invalid" if 400 <= http_status < 500 else "exception"


def _issue_json(issue: Issue) -> dict[str, Any]:
    entry: dict[str, Any] = {"severity": issue.severity, "code": issue.code}
    details: dict[str, Any] = {}
    if issue.spine_code:
        display = SPINE_CODE_DISPLAY.get(issue.spine_code, issue.spine_code)
        details["coding"] = [{"system": SPINE_ERROR_SYSTEM, "code": issue.spine_code, "display": display}]
    if issue.source:
        # OperationOutcome.issue has no element for a citation; details.text (a plain string in the
        # CodeableConcept) carries it without making the outcome invalid.
        details["text"] = f"{RULE_SOURCE_PREFIX}{issue.source}"
    if details:
        entry["details"] = details
    if issue.diagnostics:
        entry["diagnostics"] = issue.diagnostics
    if issue.expression:
        entry["expression"] = [issue.expression]
    return entry


def operation_outcome(issues: Sequence[Issue], *, spine_profile: bool = True) -> dict[str, Any]:
    """An STU3 OperationOutcome for ``issues``; an empty list reads "No issues detected"."""
    if not issues:
        issues = [Issue("information", "informational", "No issues detected")]
    body: dict[str, Any] = {"resourceType": "OperationOutcome", "id": str(uuid.uuid4())}
    if spine_profile:
        body["meta"] = {"profile": [SPINE_OUTCOME_PROFILE]}
    body["issue"] = [_issue_json(issue) for issue in issues]
    return body


def spine_error(
    http_status: int, spine_code: str, diagnostics: str, *, issue_code: str | None = None
) -> dict[str, Any]:
    """A one-issue error OperationOutcome for an HTTP error response."""
    code = issue_code or issue_code_for_status(http_status)
    return operation_outcome([Issue("error", code, diagnostics, spine_code=spine_code)])


NO_ID_PROBLEM = "no id (UEC: every error OperationOutcome has at least an id)"


def outcome_problems(body: Any) -> list[str]:
    """What is wrong with ``body`` as an error OperationOutcome (empty list: nothing)."""
    if not isinstance(body, dict):
        return [f"body is not a JSON object (got {type(body).__name__})"]
    problems: list[str] = []
    if body.get("resourceType") != "OperationOutcome":
        problems.append(f"resourceType is {body.get('resourceType')!r}, not 'OperationOutcome'")
    if not isinstance(body.get("id"), str) or not body["id"]:
        problems.append(NO_ID_PROBLEM)
    issues = body.get("issue")
    if not isinstance(issues, list) or not issues:
        problems.append("no issue list (OperationOutcome.issue is 1..*)")
        return problems
    for index, issue in enumerate(issues):
        problems.extend(_issue_problems(index, issue))
    return problems


def _issue_problems(index: int, issue: Any) -> list[str]:
    where = f"issue[{index}]"
    if not isinstance(issue, dict):
        return [f"{where} is not a JSON object"]
    problems: list[str] = []
    severity, code = issue.get("severity"), issue.get("code")
    if severity is None:
        problems.append(f"{where} has no severity")
    elif severity not in ISSUE_SEVERITIES:
        problems.append(f"{where}.severity {severity!r} is not one of fatal|error|warning|information")
    if code is None:
        problems.append(f"{where} has no code")
    elif code not in ISSUE_TYPES:
        problems.append(f"{where}.code {code!r} is not an STU3 issue-type code")
    return problems
