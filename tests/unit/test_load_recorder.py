"""The recorder in each Locust process: redacted records, bounded evidence, Locust told names only."""

from __future__ import annotations

import json

import httpx

from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import Finding
from spine_conformance.http import Exchange, HttpResponse
from spine_conformance.load.observations import Record
from spine_conformance.load.recorder import DETAILED_FINDINGS_PER_REQUIREMENT, Recorder
from spine_conformance.redact import Redactor

NHS = TargetConfig().patient.nhs_number
URL = f"https://ssp/https://provider/STU3/1/Appointment?identifier=https://fhir.nhs.uk/Id/nhs-number|{NHS}"


def response() -> HttpResponse:
    body = json.dumps({"resourceType": "Bundle", "note": f"patient {NHS}"}).encode()
    headers = [("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjMifQ.")]
    exchange = Exchange("search", "GET", URL, headers, b"", 0.0, status=200, response_body=body)
    return HttpResponse(200, httpx.Headers({"Content-Type": "text/plain"}), body, URL, exchange)


class Sink:
    def __init__(self) -> None:
        self.batches: list[list[Record]] = []
        self.reported: list[tuple[str, str, float, int, str | None]] = []

    def send(self, batch: list[Record]) -> None:
        self.batches.append(batch)

    def report(self, method: str, name: str, ms: float, length: int, failure: str | None) -> None:
        self.reported.append((method, name, ms, length, failure))

    @property
    def records(self) -> list[Record]:
        return [record for batch in self.batches for record in batch]


def recorder(sink: Sink) -> Recorder:
    return Recorder("w1", sink.send, sink.report, Redactor.for_target(TargetConfig()))


def test_locust_hears_only_the_name_and_the_requirements_broken() -> None:
    sink = Sink()
    finding = Finding("LOAD-05", "application/fhir+json", f"text/plain for {NHS}")
    recorder(sink).request("GET", "search_appointment", response(), 1.0, 0.012, [finding])
    ((method, name, ms, _, failure),) = sink.reported
    assert (method, name, ms) == ("GET", "search_appointment", 12.0)
    assert failure == "LOAD-05 (HTTP 200)"


def test_findings_and_their_exchanges_are_redacted_before_they_leave_the_process() -> None:
    sink = Sink()
    rec = recorder(sink)
    rec.request("GET", "search_appointment", response(), 1.0, 0.01, [Finding("LOAD-05", "x", f"seen {NHS}")])
    rec.flush()
    text = json.dumps(sink.records, ensure_ascii=False)
    assert NHS not in text
    assert "eyJhbGciOiJub25lIn0" not in text
    assert "«nhs-number:" in text


def test_detailed_findings_are_bounded_but_every_request_counts() -> None:
    sink = Sink()
    rec = recorder(sink)
    for _ in range(10):
        rec.request("GET", "read_appointment", response(), 1.0, 0.01, [Finding("LOAD-07", "x", "y")])
    rec.finish()
    kinds = [record["k"] for record in sink.records]
    assert kinds.count("request") == 10
    assert kinds.count("finding") == DETAILED_FINDINGS_PER_REQUIREMENT


def test_finish_sends_the_rest_and_says_how_many_records_were_sent() -> None:
    sink = Sink()
    rec = recorder(sink)
    rec.created("a", "S1")
    rec.flush()
    rec.cancelled("a", "1", "2")
    rec.race("booking", "Slot/S1", [201, 422])
    rec.finish()
    assert sink.batches[-1] == [{"k": "done", "w": "w1", "records": 3}]
    assert sink.records[1] == {"k": "cancelled", "w": "w1", "id": "a", "from": "1", "to": "2"}


def test_a_harness_error_is_recorded_redacted() -> None:
    sink = Sink()
    rec = recorder(sink)
    rec.harness_error(KeyError(f"no slot for {NHS}"))
    rec.finish()
    (error,) = [r for r in sink.records if r["k"] == "harness_error"]
    assert error["message"].startswith("KeyError") and NHS not in error["message"]
