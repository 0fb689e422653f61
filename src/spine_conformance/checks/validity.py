"""VAL-01: a resource sent or received is valid STU3 and meets its CareConnect profile."""

from __future__ import annotations

from typing import Any

from spine_conformance.fhir import validate_resource
from spine_conformance.findings import CheckFailed, Finding

MAX_ISSUES_SHOWN = 10


def check_valid_resource(resource: dict[str, Any], context: str, expected_type: str | None = None) -> None:
    result = validate_resource(resource, expected_type=expected_type)
    if result.ok:
        return
    shown = [
        f"{issue.expression or resource.get('resourceType')}: {issue.diagnostics}"
        for issue in result.errors[:MAX_ISSUES_SHOWN]
    ]
    more = len(result.errors) - len(shown)
    raise CheckFailed(
        [
            Finding(
                "VAL-01",
                f"{context} to be a valid STU3 {result.resource_type} meeting its CareConnect profile",
                "; ".join(shown) + (f" (+{more} more)" if more > 0 else ""),
            )
        ]
    )
