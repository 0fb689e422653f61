"""Observations from Locust processes: reading them back and telling complete from partial."""

from __future__ import annotations

from pathlib import Path

from spine_conformance.load.observations import AcceptedCancel, Observations, append_records, read_observations


def request(process: str, status: int = 200) -> dict[str, object]:
    return {"k": "request", "w": process, "name": "search_slot", "t": 1.5, "ms": 12.0, "status": status, "failed": []}


def test_records_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "observations.jsonl"
    append_records(path, [request("w1"), {"k": "created", "w": "w1", "id": "a", "slot": "S1"}])
    append_records(path, [{"k": "cancelled", "w": "w1", "id": "a", "from": "1", "to": "2"}])
    append_records(path, [{"k": "race", "w": "w1", "what": "booking", "key": "Slot/S1", "statuses": [201, 422]}])
    append_records(path, [{"k": "done", "w": "w1", "records": 4}])
    observations = read_observations(path)
    assert len(observations.requests) == 1 and observations.requests[0].process == "w1"
    assert observations.created == {"a": "S1"}
    assert observations.cancels == [AcceptedCancel("a", "1", "2")]
    assert observations.races[0].statuses == (201, 422)
    assert observations.incomplete_processes() == []


def test_a_missing_file_is_no_observations(tmp_path: Path) -> None:
    assert read_observations(tmp_path / "absent.jsonl") == Observations()


def test_a_process_without_its_done_line_is_incomplete() -> None:
    observations = Observations()
    observations.add(request("w1"))
    observations.add(request("w2"))
    observations.add({"k": "done", "w": "w1", "records": 1})
    assert observations.incomplete_processes() == ["w2"]


def test_a_process_whose_records_did_not_all_arrive_is_incomplete() -> None:
    observations = Observations()
    observations.add(request("w1"))
    observations.add({"k": "done", "w": "w1", "records": 3})
    assert observations.incomplete_processes() == ["w1"]


def test_a_worker_the_master_saw_that_sent_nothing_is_incomplete() -> None:
    observations = Observations()
    observations.add({"k": "workers", "ids": ["w1", "w2"]})
    observations.add({"k": "done", "w": "w1", "records": 0})
    assert observations.incomplete_processes() == ["w2"]


def test_harness_errors_are_kept() -> None:
    observations = Observations()
    observations.add({"k": "harness_error", "w": "w1", "message": "KeyError: 'id'"})
    assert observations.harness_errors == ["KeyError: 'id'"]
