"""What one scenario produced, in a form that crosses process boundaries (xdist) as JSON."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

PASSED = "passed"
FAILED = "failed"  # the target broke a rule (a normative finding names the requirement)
ERROR = "error"  # the run could not judge (unreachable target, a problem on the harness's side)
SKIPPED = "skipped"
NOT_TESTED = "not_tested"
STATUSES = (PASSED, FAILED, ERROR, NOT_TESTED, SKIPPED)
# The message of a scenario an interrupted run never reached.
NOT_RUN = "not run: the run was interrupted before this scenario"
USER_PROPERTY = "spine_conformance_scenario"


@dataclass
class ScenarioRecord:
    id: str
    feature: str
    feature_file: str
    name: str
    tags: list[str]
    status: str
    duration_s: float
    message: str
    requirements: list[str]
    findings: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    # Set when the scenario ended in error: what went wrong, and the short cause it shares with
    # every other scenario the same problem stopped (an unreachable endpoint, say).
    error: str = ""
    cause: str = ""
    # The requirements its checks judged (tagged or not), and the advisory findings they reported.
    evaluated: list[str] = field(default_factory=list)
    advisories: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioRecord:
        return cls(**data)


def scenario_id(feature_file: str, name: str, example: str) -> str:
    text = f"{feature_file}::{name}" + (f"[{example}]" if example else "")
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {example}".lower()).strip("-")[:60]
    return f"{slug}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
