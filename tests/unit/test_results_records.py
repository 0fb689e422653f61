"""Scenario records: stable, distinct, file-name-safe IDs and a lossless JSON round trip."""

from __future__ import annotations

import json
import re

import pytest

from spine_conformance.results.records import (
    FAILED,
    NOT_TESTED,
    PASSED,
    SKIPPED,
    ScenarioRecord,
    scenario_id,
)

FEATURE = "features/appointments/provider/slots.feature"
SAFE_ID = re.compile(r"^[a-z0-9-]+-[0-9a-f]{8}$")


def test_status_constants_match_the_results_schema() -> None:
    assert (PASSED, FAILED, SKIPPED, NOT_TESTED) == ("passed", "failed", "skipped", "not_tested")


def test_scenario_id_is_stable() -> None:
    assert scenario_id(FEATURE, "Search free slots", "") == scenario_id(FEATURE, "Search free slots", "")
    assert scenario_id(FEATURE, "Search free slots", "free") == scenario_id(FEATURE, "Search free slots", "free")


def test_scenario_id_is_readable_and_safe_as_a_file_name() -> None:
    identifier = scenario_id(FEATURE, "Search free slots: window (7 days)", "")
    assert SAFE_ID.match(identifier)
    assert identifier.startswith("search-free-slots-window-7-days-")


def test_outline_examples_get_distinct_ids() -> None:
    examples = ["status=free", "status=busy", "status-free", "free-0", "free-1", ""]
    ids = [scenario_id(FEATURE, "Search free slots", example) for example in examples]
    assert len(set(ids)) == len(ids)
    for identifier in ids:
        assert SAFE_ID.match(identifier)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((FEATURE, "Book", ""), ("features/appointments/provider/book.feature", "Book", "")),
        ((FEATURE, "Book", ""), (FEATURE, "book", "")),
        ((FEATURE, "Book a", "b"), (FEATURE, "Book", "a b")),
        ((FEATURE, "Book", "x"), (FEATURE, "Book [x]", "")),
    ],
)
def test_ids_differ_when_anything_identifying_differs(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    assert scenario_id(*first) != scenario_id(*second)


def test_long_names_are_shortened_but_stay_distinct() -> None:
    long_name = "A scenario with a very long name " * 5
    one = scenario_id(FEATURE, long_name + "one", "")
    two = scenario_id(FEATURE, long_name + "two", "")
    assert one != two
    assert len(one) <= 60 + 1 + 8


def record(**changes: object) -> ScenarioRecord:
    values: dict[str, object] = {
        "id": "s1",
        "feature": "Slots",
        "feature_file": FEATURE,
        "name": "Search",
        "tags": ["req:SLOT-01"],
        "status": PASSED,
        "duration_s": 0.5,
        "message": "",
        "requirements": ["SLOT-01"],
    }
    values.update(changes)
    return ScenarioRecord(**values)  # type: ignore[arg-type]


def test_record_defaults() -> None:
    plain = record()
    assert plain.findings == []
    assert plain.exchanges == []
    assert plain.error == ""


def test_record_round_trips_through_json() -> None:
    original = record(
        status=FAILED,
        message="expected HTTP 200",
        findings=[{"requirement": "SLOT-01", "expected": "HTTP 200", "actual": "HTTP 500", "detail": ""}],
        exchanges=[{"label": "GET /Slot", "request": None, "response": None}],
        error="",
    )
    copied = ScenarioRecord.from_dict(json.loads(json.dumps(original.as_dict())))
    assert copied == original


def test_record_default_lists_are_not_shared() -> None:
    one, two = record(), record()
    one.findings.append({"requirement": "X"})
    assert two.findings == []
