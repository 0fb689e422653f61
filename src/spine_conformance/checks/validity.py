"""VAL-01 / CON-VAL-01: a resource received or sent is valid STU3 and meets its CareConnect profile.

Errors of the built-in validator fail the requirement; its warnings (sanity checks no published
profile states, such as an end that is not after its start) are advisory findings. Each finding
names the published rules it applies (``Finding.source``), taken from the validator's issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spine_conformance.fhir import Issue, validate_resource
from spine_conformance.findings import ADVISORY, Finding, FindingCollector

MAX_ISSUES_SHOWN = 10


def resource_findings(
    resource: dict[str, Any] | bytes, requirement: str, context: str, expected_type: str | None = None
) -> list[Finding]:
    """The validator's errors (normative) and warnings (advisory) as findings against ``requirement``."""
    result = validate_resource(resource, expected_type=expected_type)
    findings: list[Finding] = []
    expected = f"{context} to be a valid STU3 {result.resource_type or 'resource'} meeting its CareConnect profile"
    if result.errors:
        shown = [f"{issue.expression or result.resource_type}: {issue.diagnostics}" for issue in result.errors]
        more = len(shown) - MAX_ISSUES_SHOWN
        text = "; ".join(shown[:MAX_ISSUES_SHOWN]) + (f" (+{more} more)" if more > 0 else "")
        findings.append(Finding(requirement, expected, text, source=cited_sources(result.errors)))
    warnings = [issue for issue in result.issues if issue.severity == "warning"][:MAX_ISSUES_SHOWN]
    findings += [
        Finding(
            requirement,
            f"{context} to pass the validator's sanity checks",
            f"{w.expression}: {w.diagnostics}",
            severity=ADVISORY,
            source=w.source,
        )
        for w in warnings
    ]
    return findings


def cited_sources(issues: Iterable[Issue]) -> str:
    """The distinct rule sources of ``issues``, in order of first appearance ("; "-separated)."""
    # One issue may cite several texts (conflicting sources): each text is listed once.
    cited = (part for issue in issues if issue.source for part in issue.source.split("; "))
    return "; ".join(dict.fromkeys(cited))


def check_valid_resource(
    resource: dict[str, Any], context: str, expected_type: str | None = None, requirement: str = "VAL-01"
) -> None:
    out = FindingCollector()
    out.extend(resource_findings(resource, requirement, context, expected_type))
    out.findings or out.expect(True, requirement, "", "")  # a valid resource: the requirement was judged
    out.raise_if_any()
