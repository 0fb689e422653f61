"""What one scenario produced, in a form that crosses process boundaries (xdist) as JSON."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
NOT_TESTED = "not_tested"
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
    # Set when the scenario failed without a finding (unreachable target, defect in a step).
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioRecord:
        return cls(**data)


def scenario_id(feature_file: str, name: str, example: str) -> str:
    text = f"{feature_file}::{name}" + (f"[{example}]" if example else "")
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {example}".lower()).strip("-")[:60]
    return f"{slug}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
