"""What a load run will do, checked against the configured limits before anything starts.

:class:`LoadPlan` is the harness's view (how many consumers, for how long, in which processes);
:class:`ConsumerPlan` is the part every Locust process needs, passed to the master as one JSON
argument, which Locust forwards to its workers, so workers on other machines behave alike.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from spine_conformance.config.model import LoadConfig

_DURATION = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?")
MODES = ("local", "master", "worker")


def parse_duration(text: str) -> int:
    """Seconds from "90", "20s", "2m", "1m30s" or "1h"; ValueError for anything else."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        raise ValueError(f"{text!r} is not a duration (use e.g. 20s, 2m, 1m30s or a number of seconds)")
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


@dataclass(frozen=True)
class ConsumerPlan:
    """How each simulated consumer behaves; the same in every Locust process of a run."""

    duration_s: int
    race_share: float
    race_size: int
    validate_share: float
    think_time_ms: int
    synthetic_patients: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ConsumerPlan:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)

    @classmethod
    def from_config(cls, load: LoadConfig, duration_s: int) -> ConsumerPlan:
        return cls(
            duration_s=duration_s,
            race_share=load.race_share,
            race_size=load.race_size,
            validate_share=load.validate_share,
            think_time_ms=load.think_time_ms,
            synthetic_patients=load.synthetic_patients,
        )


@dataclass(frozen=True)
class LoadPlan:
    users: int
    spawn_rate: float
    duration_s: int
    workers: int  # local worker processes beside the master (0 = one Locust process)
    mode: str = "local"  # local | master (remote workers connect) | worker (join a master)
    expect_workers: int = 0  # master mode: workers to wait for

    @property
    def distributed(self) -> bool:
        return self.mode == "master" or self.workers > 0

    @property
    def worker_count(self) -> int:
        """How many worker processes the master waits for (0 when Locust runs as one process)."""
        return self.expect_workers if self.mode == "master" else self.workers


def plan_problems(plan: LoadPlan, load: LoadConfig) -> list[str]:
    """Every reason the plan may not run (empty when it may): bounded by design, never by surprise."""
    problems: list[str] = []
    if plan.users < 1:
        problems.append(f"--users must be at least 1 (got {plan.users})")
    elif plan.users > load.max_users:
        problems.append(
            f"--users {plan.users} exceeds [load] max_users = {load.max_users}; "
            "raise max_users in the target configuration to allow more"
        )
    if not plan.spawn_rate > 0:
        problems.append(f"--spawn-rate must be greater than 0 (got {plan.spawn_rate:g})")
    if plan.duration_s < 1:
        problems.append(f"--duration must be at least 1 s (got {plan.duration_s} s)")
    elif plan.duration_s > load.max_duration_s:
        problems.append(
            f"--duration {plan.duration_s} s exceeds [load] max_duration_s = {load.max_duration_s}; "
            "raise max_duration_s in the target configuration to allow longer runs"
        )
    if plan.workers < 0:
        problems.append(f"--workers must be 0 or more (got {plan.workers})")
    elif plan.workers > load.max_workers:
        problems.append(f"--workers {plan.workers} exceeds [load] max_workers = {load.max_workers}")
    if plan.mode == "master" and not 1 <= plan.expect_workers <= max(1, load.max_workers):
        problems.append(f"--expect-workers must be between 1 and [load] max_workers = {load.max_workers}")
    if plan.mode == "master" and plan.workers:
        problems.append("--master runs no local workers: use --expect-workers for the remote ones, not --workers")
    return problems
