"""Typed outcomes of a check.

A check either returns normally (the rule holds), raises :class:`CheckFailed` carrying one
or more normative :class:`Finding` objects (the target broke a rule: which requirement, what
was expected, what was seen), raises :class:`NotTestable` (the target lacks what the check
needs: neither a pass nor a failure) or raises :class:`HarnessError` (the run could not judge:
the target was unreachable, the harness's own set-up failed; never charged to the target).

Advisory findings (SHOULD-level rules, sanity checks no published source states) are shown but
never fail a requirement: a check reports them with :func:`advise`, or by giving a finding
``severity="advisory"``; :meth:`FindingCollector.raise_if_any` hands those to the scenario's
:class:`Evaluation` and raises only for the normative ones.

Every requirement a check judges (passing or not) is noted in the running scenario's
:class:`Evaluation`, so the results can tell a requirement a scenario verified from one it
never reached (it stopped early on another requirement's failure).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

NORMATIVE = "error"
ADVISORY = "advisory"


@dataclass(frozen=True)
class Finding:
    """One rule a target did not meet: which requirement, what is expected, what was observed."""

    requirement: str
    expected: str
    actual: str
    detail: str = ""
    # "error": the rule is normative and the requirement fails; "advisory": shown, never fails.
    severity: str = NORMATIVE
    # The published rule this finding applies, when narrower than the requirement's own sources.
    source: str = ""

    @property
    def advisory(self) -> bool:
        return self.severity == ADVISORY

    def describe(self) -> str:
        label = f"{self.requirement}, advisory" if self.advisory else self.requirement
        text = f"[{label}] expected {self.expected}; got {self.actual}"
        return f"{text} ({self.detail})" if self.detail else text

    def as_dict(self) -> dict[str, str]:
        return {
            "requirement": self.requirement,
            "expected": self.expected,
            "actual": self.actual,
            "detail": self.detail,
            "severity": self.severity,
            "source": self.source,
        }


class CheckFailed(AssertionError):
    """Raised by a check when one or more normative rules are violated."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        if not self.findings:
            raise ValueError("CheckFailed needs at least one finding")
        if any(finding.advisory for finding in self.findings):
            raise ValueError("advisory findings never fail a check; report them with advise()")
        note_evaluated(*(finding.requirement for finding in self.findings))
        super().__init__("\n".join(f.describe() for f in self.findings))

    @property
    def requirements(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.requirement for f in self.findings))


class NotTestable(Exception):
    """The target does not offer what a check needs; the reason says what would fix it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class HarnessError(Exception):
    """The run could not judge: no answer from the target, or a problem on the harness's side.

    ``cause`` is a short headline shared by every scenario the same problem stopped (for
    example "https://provider.example/STU3/1: connection refused"), so a report can say it once.
    """

    def __init__(self, message: str, cause: str = "") -> None:
        self.message = message
        self.cause = cause or message
        super().__init__(message)


# -- what a scenario evaluated ----------------------------------------------------------------------
@dataclass
class Evaluation:
    """The requirements one scenario's checks judged, and the advisory findings they reported."""

    requirements: dict[str, None] = field(default_factory=dict)  # an ordered set
    advisories: list[Finding] = field(default_factory=list)

    @property
    def evaluated(self) -> list[str]:
        return list(self.requirements)


_current: ContextVar[Evaluation | None] = ContextVar("spine_conformance_evaluation", default=None)


@contextmanager
def evaluation() -> Iterator[Evaluation]:
    """Collect what checks evaluate while the block runs (one scenario)."""
    record = Evaluation()
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def start_evaluation() -> Evaluation:
    """Like :func:`evaluation`, for callers (pytest hooks) whose start and end are separate calls."""
    record = Evaluation()
    _current.set(record)
    return record


def stop_evaluation() -> None:
    _current.set(None)


def note_evaluated(*requirements: str) -> None:
    """The running check judged these requirements (outside a scenario this does nothing)."""
    record = _current.get()
    if record is not None:
        for requirement in requirements:
            record.requirements.setdefault(requirement, None)


def advise(finding: Finding) -> None:
    """Report an advisory finding: shown with the scenario, never a failure."""
    advisory = finding if finding.advisory else replace(finding, severity=ADVISORY)
    record = _current.get()
    if record is not None:
        record.requirements.setdefault(advisory.requirement, None)
        record.advisories.append(advisory)


@dataclass
class FindingCollector:
    """Gathers findings from several rules so a check reports all of them at once."""

    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        requirement: str,
        expected: str,
        actual: object,
        detail: str = "",
        *,
        severity: str = NORMATIVE,
        source: str = "",
    ) -> None:
        note_evaluated(requirement)
        self.findings.append(Finding(requirement, expected, _show(actual), detail, severity, source))

    def expect(
        self,
        condition: bool,
        requirement: str,
        expected: str,
        actual: object,
        detail: str = "",
        *,
        severity: str = NORMATIVE,
    ) -> bool:
        note_evaluated(requirement)
        if not condition:
            self.add(requirement, expected, actual, detail, severity=severity)
        return condition

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            note_evaluated(finding.requirement)
            self.findings.append(finding)

    def raise_if_any(self) -> None:
        """Raise for the normative findings; advisory ones go to the scenario, never fail it."""
        normative = [finding for finding in self.findings if not finding.advisory]
        for finding in self.findings:
            if finding.advisory:
                advise(finding)
        if normative:
            raise CheckFailed(normative)


def require(condition: bool, requirement: str, expected: str, actual: object, detail: str = "") -> None:
    """Raise a single-finding :class:`CheckFailed` unless ``condition`` holds."""
    note_evaluated(requirement)
    if not condition:
        raise CheckFailed([Finding(requirement, expected, _show(actual), detail)])


def _show(value: object) -> str:
    if isinstance(value, str):
        return value if value else "(empty)"
    if value is None:
        return "(absent)"
    return repr(value)
