"""The observation recorder of one Locust process: buffers records, redacted, and hands them on in batches.

It knows nothing of Locust: the Locust entry point gives it a ``send`` for batches (a custom message
to the master, or a direct write in a single-process run) and a ``report`` for Locust's own request
statistics, which only ever see the request's name and the requirement IDs it broke, so Locust's
CSV and HTML reports hold no URL, NHS number or token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from spine_conformance.findings import Finding
from spine_conformance.http import HttpResponse
from spine_conformance.load import observations as kinds
from spine_conformance.load.observations import Record
from spine_conformance.redact import Redactor

# Full findings (with the redacted exchange) kept per requirement and process; the rest are counted.
DETAILED_FINDINGS_PER_REQUIREMENT = 3

SendBatch = Callable[[list[Record]], None]
# (method, name, elapsed ms, response bytes, failure text or None)
ReportRequest = Callable[[str, str, float, int, str | None], None]


class Recorder:
    def __init__(self, process: str, send: SendBatch, report: ReportRequest, redactor: Redactor) -> None:
        self.process = process
        self._send = send
        self._report = report
        self.redactor = redactor
        self._buffer: list[Record] = []
        self._sent = 0
        self._detailed: Counter[str] = Counter()

    def _add(self, kind: str, **fields: Any) -> None:
        self._buffer.append({"k": kind, "w": self.process, **fields})

    def request(
        self,
        method: str,
        name: str,
        response: HttpResponse | None,
        started: float,
        elapsed_s: float,
        findings: Iterable[Finding],
        validated: bool = False,
    ) -> None:
        found = list(findings)
        failed = sorted({f.requirement for f in found})
        status = response.status if response is not None else 0
        elapsed_ms = round(elapsed_s * 1000, 3)
        self._add(
            kinds.REQUEST,
            name=name,
            t=round(started, 3),
            ms=elapsed_ms,
            status=status,
            failed=failed,
            validated=validated,
        )
        for finding in found:
            self._detail(name, finding, response)
        failure = f"{', '.join(failed)} (HTTP {status or 'no response'})" if failed else None
        self._report(method, name, elapsed_ms, len(response.body) if response is not None else 0, failure)

    def finding(self, name: str, finding: Finding, response: HttpResponse | None = None) -> None:
        """A finding about several requests together (a race), not about one response."""
        self._detail(name, finding, response)

    def _detail(self, name: str, finding: Finding, response: HttpResponse | None) -> None:
        self._detailed[finding.requirement] += 1
        if self._detailed[finding.requirement] > DETAILED_FINDINGS_PER_REQUIREMENT:
            return
        exchange = self.redactor.exchange(response.exchange.as_dict()) if response is not None else None
        self._add(kinds.FINDING, name=name, exchange=exchange, **self.redactor.data(finding.as_dict()))

    def created(self, appointment_id: str, slot_id: str) -> None:
        self._add(kinds.CREATED, id=appointment_id, slot=slot_id)

    def cancelled(self, appointment_id: str, from_version: str, to_version: str) -> None:
        self._add(kinds.CANCELLED, id=appointment_id, **{"from": from_version, "to": to_version})

    def race(self, what: str, key: str, statuses: list[int]) -> None:
        self._add(kinds.RACE, what=what, key=key, statuses=statuses)

    def harness_error(self, error: BaseException) -> None:
        message = self.redactor.text(f"{type(error).__name__}: {error}")[:500]
        self._add(kinds.HARNESS_ERROR, message=message)

    def flush(self) -> None:
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        self._sent += len(batch)
        self._send(batch)

    def finish(self) -> None:
        """Send what is left, then the ``done`` line saying how many records this process sent."""
        self.flush()
        self._send([{"k": kinds.DONE, "w": self.process, "records": self._sent}])
