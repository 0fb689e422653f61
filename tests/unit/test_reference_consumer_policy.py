"""The reference consumer's RTEC policy: the age rule (FR-20) and one check per prescription (FR-31)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from spine_conformance.consumer.policy import (
    STATE_FILE,
    CheckedPrescriptions,
    StateUnreadable,
    age_exemption,
    age_on,
)

BORN = date(2000, 6, 15)


@pytest.mark.parametrize(
    ("today", "age"),
    [
        (date(2016, 6, 14), 15),
        (date(2016, 6, 15), 16),
        (date(2060, 6, 14), 59),
        (date(2060, 6, 15), 60),
    ],
)
def test_age_counts_completed_years(today: date, age: int) -> None:
    assert age_on(BORN, today) == age


def test_someone_born_on_29_february_turns_older_on_1_march_in_other_years() -> None:
    born = date(2008, 2, 29)

    assert age_on(born, date(2024, 2, 28)) == 15
    assert age_on(born, date(2024, 2, 29)) == 16
    assert age_on(born, date(2025, 2, 28)) == 16
    assert age_on(born, date(2023, 2, 28)) == 14
    assert age_on(born, date(2023, 3, 1)) == 15


def test_the_day_before_the_16th_birthday_is_exempt_by_age() -> None:
    reason = age_exemption(BORN, date(2016, 6, 14))

    assert reason is not None and "under 16" in reason


def test_from_the_16th_birthday_the_patient_is_checked() -> None:
    assert age_exemption(BORN, date(2016, 6, 15)) is None


def test_the_day_before_the_60th_birthday_the_patient_is_checked() -> None:
    assert age_exemption(BORN, date(2060, 6, 14)) is None


def test_from_the_60th_birthday_the_patient_is_exempt_by_age() -> None:
    reason = age_exemption(BORN, date(2060, 6, 15))

    assert reason is not None and "60 or over" in reason


def test_a_prescription_is_claimed_once(tmp_path: Path) -> None:
    state = CheckedPrescriptions(tmp_path / "state")

    assert state.claim("471BC8-P83027-34B75X") is True
    assert state.claim("471BC8-P83027-34B75X") is False
    assert state.claim("other") is True


def test_the_state_survives_the_process_in_a_json_file(tmp_path: Path) -> None:
    CheckedPrescriptions(tmp_path).claim("A", now=datetime(2026, 1, 2, 3, 4, 5))

    assert CheckedPrescriptions(tmp_path).claim("A") is False
    stored = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert stored == {"checked": {"A": "2026-01-02T03:04:05"}}


def test_no_state_file_means_nothing_checked_yet(tmp_path: Path) -> None:
    assert CheckedPrescriptions(tmp_path / "absent").checked() == {}


def test_record_keeps_the_first_time_a_prescription_was_checked(tmp_path: Path) -> None:
    state = CheckedPrescriptions(tmp_path)
    state.record("A", now=datetime(2026, 1, 1))
    state.record("A", now=datetime(2026, 2, 2))

    assert state.checked() == {"A": "2026-01-01T00:00:00"}


@pytest.mark.parametrize("content", ["not json", "[]", '{"other": 1}', '{"checked": []}'])
def test_a_state_file_this_consumer_did_not_write_is_not_replaced(tmp_path: Path, content: str) -> None:
    (tmp_path / STATE_FILE).write_text(content, "utf-8")

    with pytest.raises(StateUnreadable):
        CheckedPrescriptions(tmp_path).claim("A")
    assert (tmp_path / STATE_FILE).read_text("utf-8") == content


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    CheckedPrescriptions(tmp_path).claim("A")

    assert sorted(p.name for p in tmp_path.iterdir()) == [STATE_FILE, "checked-prescriptions.lock"]
