"""Figures of a load run from its request samples: throughput, percentiles, and both over time."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from spine_conformance.load.observations import RequestSample


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (p95 of 20 values is the 19th)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class InteractionFigures:
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class Second:
    """One second of the run: how many requests started in it, how many failed, how fast they were."""

    t: int  # seconds since the first request
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class LoadFigures:
    requests: int = 0
    failures: int = 0  # requests that broke at least one load requirement
    span_s: float = 0.0  # first request sent to last answer received
    rps: float = 0.0
    interactions: list[InteractionFigures] = field(default_factory=list)
    timeline: list[Second] = field(default_factory=list)
    failures_by_requirement: dict[str, int] = field(default_factory=dict)
    rps_by_process: dict[str, float] = field(default_factory=dict)
    validated: int = 0
    answered: int = 0  # requests that got an HTTP answer

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(samples: Sequence[RequestSample]) -> LoadFigures:
    if not samples:
        return LoadFigures()
    first = min(s.started for s in samples)
    last = max(s.started + s.elapsed_ms / 1000 for s in samples)
    span = max(last - first, 1e-3)
    by_name: dict[str, list[RequestSample]] = defaultdict(list)
    by_second: dict[int, list[RequestSample]] = defaultdict(list)
    by_process: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for sample in samples:
        by_name[sample.name].append(sample)
        by_second[int(sample.started - first)].append(sample)
        by_process[sample.process] += 1
        failures.update(sample.failed)
    return LoadFigures(
        requests=len(samples),
        failures=sum(1 for s in samples if s.failed),
        span_s=round(span, 3),
        rps=round(len(samples) / span, 2),
        interactions=[_interaction(name, group, span) for name, group in sorted(by_name.items())],
        timeline=[_second(t, by_second.get(t, [])) for t in range(int(span) + 1)],
        failures_by_requirement=dict(sorted(failures.items())),
        rps_by_process={process: round(count / span, 2) for process, count in sorted(by_process.items())},
        validated=sum(1 for s in samples if s.validated),
        answered=sum(1 for s in samples if s.status),
    )


def latencies(samples: Sequence[RequestSample]) -> list[float]:
    return sorted(s.elapsed_ms for s in samples)


def _interaction(name: str, samples: list[RequestSample], span: float) -> InteractionFigures:
    ordered = latencies(samples)
    return InteractionFigures(
        name=name,
        requests=len(samples),
        failures=sum(1 for s in samples if s.failed),
        rps=round(len(samples) / span, 2),
        p50_ms=round(percentile(ordered, 0.50), 2),
        p95_ms=round(percentile(ordered, 0.95), 2),
        p99_ms=round(percentile(ordered, 0.99), 2),
        max_ms=round(ordered[-1], 2),
    )


def _second(t: int, samples: list[RequestSample]) -> Second:
    ordered = latencies(samples)
    return Second(
        t=t,
        requests=len(samples),
        failures=sum(1 for s in samples if s.failed),
        p50_ms=round(percentile(ordered, 0.50), 2),
        p95_ms=round(percentile(ordered, 0.95), 2),
    )
