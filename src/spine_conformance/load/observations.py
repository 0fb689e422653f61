"""What the Locust processes saw, as JSON lines, and reading it back in the harness.

Each Locust process (a worker, or the single local process) records one line per request and one
per notable event (a booking, an accepted cancel, a race, a finding with its evidence), already
redacted. Workers send their batches to the master (Locust custom messages, so workers on other
machines work too) and the master appends them to one file; a ``done`` line per process, with how
many records it sent, lets the harness tell a complete set of observations from a partial one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MESSAGE_TYPE = "spine_conformance_observations"
Record = dict[str, Any]

REQUEST = "request"
FINDING = "finding"
CREATED = "created"
CANCELLED = "cancelled"
RACE = "race"
HARNESS_ERROR = "harness_error"
DONE = "done"
WORKERS = "workers"


@dataclass(frozen=True)
class RequestSample:
    process: str  # the Locust process that sent it
    name: str  # the interaction (and "race" when it was one of a race's contenders)
    started: float  # epoch seconds
    elapsed_ms: float
    status: int  # 0: no response (refused, reset, timed out)
    failed: tuple[str, ...]  # load requirements this response broke
    validated: bool = False


@dataclass(frozen=True)
class Race:
    what: str  # booking | cancel
    key: str  # Slot/<id> or Appointment/<id> version <v>
    statuses: tuple[int, ...]


@dataclass(frozen=True)
class AcceptedCancel:
    appointment_id: str
    from_version: str
    to_version: str


@dataclass
class Observations:
    requests: list[RequestSample] = field(default_factory=list)
    findings: list[Record] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # appointment id -> slot id
    cancels: list[AcceptedCancel] = field(default_factory=list)
    races: list[Race] = field(default_factory=list)
    harness_errors: list[str] = field(default_factory=list)
    done: dict[str, int] = field(default_factory=dict)  # process -> records it says it sent
    received: Counter[str] = field(default_factory=Counter)  # process -> records that arrived
    expected_processes: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        kind, process = record.get("k"), str(record.get("w", ""))
        if kind == DONE:
            self.done[process] = int(record["records"])
            return
        if kind == WORKERS:
            self.expected_processes.update(str(w) for w in record["ids"])
            return
        self.received[process] += 1
        if kind == REQUEST:
            self.requests.append(
                RequestSample(
                    process,
                    str(record["name"]),
                    float(record["t"]),
                    float(record["ms"]),
                    int(record["status"]),
                    tuple(record.get("failed", ())),
                    bool(record.get("validated", False)),
                )
            )
        elif kind == FINDING:
            self.findings.append(record)
        elif kind == CREATED:
            self.created[str(record["id"])] = str(record["slot"])
        elif kind == CANCELLED:
            self.cancels.append(AcceptedCancel(str(record["id"]), str(record["from"]), str(record["to"])))
        elif kind == RACE:
            self.races.append(Race(str(record["what"]), str(record["key"]), tuple(record["statuses"])))
        elif kind == HARNESS_ERROR:
            self.harness_errors.append(str(record["message"]))

    def incomplete_processes(self) -> list[str]:
        """Processes whose observations did not all arrive (no ``done`` line, or fewer records than it sent)."""
        processes = self.expected_processes | set(self.received) | set(self.done)
        return sorted(p for p in processes if p not in self.done or self.received[p] < self.done[p])


def read_observations(path: Path) -> Observations:
    observations = Observations()
    if not path.is_file():
        return observations
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                observations.add(json.loads(line))
    return observations


def append_records(path: Path, records: list[Record]) -> None:
    """Append a batch as JSON lines (one write, so batches from different workers never interleave)."""
    text = "".join(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n" for record in records)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
