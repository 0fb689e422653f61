"""Typed outcomes of a check.

A check either returns normally (the rule holds), raises :class:`CheckFailed` carrying one
or more :class:`Finding` objects (the rule is violated, and we say which requirement, what was
expected and what was seen), or raises :class:`NotTestable` (the target lacks what the check
needs, which is neither a pass nor a failure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One violated rule: which requirement, what the spec expects, what was observed."""

    requirement: str
    expected: str
    actual: str
    detail: str = ""

    def describe(self) -> str:
        text = f"[{self.requirement}] expected {self.expected}; got {self.actual}"
        return f"{text} ({self.detail})" if self.detail else text

    def as_dict(self) -> dict[str, str]:
        return {
            "requirement": self.requirement,
            "expected": self.expected,
            "actual": self.actual,
            "detail": self.detail,
        }


class CheckFailed(AssertionError):
    """Raised by a check when one or more rules are violated."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        if not self.findings:
            raise ValueError("CheckFailed needs at least one finding")
        super().__init__("\n".join(f.describe() for f in self.findings))

    @property
    def requirements(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.requirement for f in self.findings))


class NotTestable(Exception):
    """The target does not offer what a check needs; the reason says what would fix it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class FindingCollector:
    """Gathers findings from several rules so a check reports all of them at once."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, requirement: str, expected: str, actual: object, detail: str = "") -> None:
        self.findings.append(Finding(requirement, expected, _show(actual), detail))

    def expect(self, condition: bool, requirement: str, expected: str, actual: object, detail: str = "") -> bool:
        if not condition:
            self.add(requirement, expected, actual, detail)
        return condition

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def raise_if_any(self) -> None:
        if self.findings:
            raise CheckFailed(self.findings)


def require(condition: bool, requirement: str, expected: str, actual: object, detail: str = "") -> None:
    """Raise a single-finding :class:`CheckFailed` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed([Finding(requirement, expected, _show(actual), detail)])


def _show(value: object) -> str:
    if isinstance(value, str):
        return value if value else "(empty)"
    if value is None:
        return "(absent)"
    return repr(value)
