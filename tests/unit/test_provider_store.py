"""The demonstrator's SQLite store, against a real database file: seeding, booking, versions, races."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spine_conformance.demonstrator.provider.seed import SERVICES, SLOTS_PER_DAY
from spine_conformance.demonstrator.provider.store import SlotUnavailable, Store, VersionConflict

TODAY = date(2026, 1, 1)
TOMORROW_9 = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
NHS_NUMBER = "9434765919"
SERVICE = SERVICES[0].id


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly reset database per module; each test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("seeded") / "provider.sqlite3"
    template = Store(path)
    template.reset(TODAY)
    template.close()  # checkpoints the WAL, so the main file holds everything
    return path


@pytest.fixture
def store(tmp_path: Path, seeded: Path) -> Iterator[Store]:
    path = tmp_path / "provider.sqlite3"
    shutil.copyfile(seeded, path)
    opened = Store(path)
    yield opened
    opened.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Store]:
    """A store on a new, empty database file."""
    opened = Store(tmp_path / "fresh.sqlite3")
    yield opened
    opened.close()


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def appointment(appointment_id: str, status: str = "booked", **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Appointment", "id": appointment_id, "status": status, **extra}


def free_slots(store: Store, service_id: str = SERVICE) -> list[str]:
    return [slot.id for slot in store.slots(service_id, ["free"], None, None)]


def test_reset_seeds_slots_for_two_services_from_tomorrow_nine_utc(fresh: Store) -> None:
    assert fresh.slots(SERVICE, ["free", "busy"], None, None) == []
    fresh.reset(TODAY)
    store = fresh
    assert [service.has_slots for service in SERVICES] == [True, True, False]
    assert store.service_exists(SERVICES[2].id)
    assert store.slots(SERVICES[2].id, ["free", "busy"], None, None) == []  # a service without slots
    for service in SERVICES[:2]:
        slots = store.slots(service.id, ["free", "busy"], None, None)
        assert slots, service.id
        assert slots[0].start_epoch == epoch(TOMORROW_9)
        assert all(slot.start_epoch >= epoch(TOMORROW_9) for slot in slots)
        assert all(slot.status == "free" for slot in slots)
        assert all(slot.service_id == service.id and slot.schedule_id == service.schedule_id for slot in slots)
        assert slots[1].start_epoch - slots[0].start_epoch == 15 * 60
        assert slots[0].end_epoch - slots[0].start_epoch == 15 * 60
        first_day = [s for s in slots if s.start_epoch < epoch(TOMORROW_9 + timedelta(hours=15))]
        assert len(first_day) == SLOTS_PER_DAY
        resource = slots[0].resource
        assert resource["resourceType"] == "Slot"
        assert resource["status"] == "free"
        assert resource["start"] == "2026-01-02T09:00:00+00:00"
        assert resource["schedule"] == {"reference": f"Schedule/{service.schedule_id}"}
        assert store.service_exists(service.id)
    assert not store.service_exists("000000000000")


def test_reset_seeds_static_resources(fresh: Store) -> None:
    store = fresh
    assert not store.service_exists(SERVICE)
    store.reset(TODAY)
    schedule = store.static("Schedule", SERVICES[0].schedule_id)
    assert schedule is not None
    assert {"reference": f"HealthcareService/{SERVICE}"} in schedule["actor"]
    assert store.static("Organization", "A91545") is not None
    assert store.static("Organization", "nope") is None


def test_slots_filters_by_window_and_status(store: Store) -> None:
    start = epoch(TOMORROW_9 + timedelta(hours=1))
    end = epoch(TOMORROW_9 + timedelta(hours=2))
    slots = store.slots(SERVICE, ["free"], start, end)
    assert [s.start_epoch for s in slots] == [start + n * 15 * 60 for n in range(5)]
    assert store.slots(SERVICE, ["busy"], None, None) == []


def test_book_claims_the_slot(store: Store) -> None:
    slot_id = free_slots(store)[0]
    booked = store.book(appointment("a1"), slot_id, NHS_NUMBER)
    assert booked.id == "a1"
    assert booked.version == 1
    assert booked.resource["meta"]["versionId"] == "1"
    assert booked.resource["meta"]["lastUpdated"] == booked.last_modified
    slot = store.slot(slot_id)
    assert slot is not None and slot.status == "busy"
    assert slot.resource["status"] == "busy"
    assert slot_id not in free_slots(store)
    read = store.appointment("a1")
    assert read is not None and read.version == 1 and read.resource == booked.resource


def test_second_booking_of_a_slot_is_refused(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER)
    with pytest.raises(SlotUnavailable):
        store.book(appointment("a2"), slot_id, NHS_NUMBER)
    assert store.appointment("a2") is None
    assert store.appointment("a2", 1) is None


def test_booking_an_unknown_slot_is_refused(store: Store) -> None:
    with pytest.raises(SlotUnavailable):
        store.book(appointment("a1"), "no-such-slot", NHS_NUMBER)
    assert store.appointment("a1") is None


def test_book_without_claiming_leaves_the_slot_free(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER, claim_slot=False)
    assert slot_id in free_slots(store)


def test_update_bumps_the_version_and_keeps_every_version(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1", description="first"), slot_id, NHS_NUMBER)
    second = store.update(appointment("a1", description="second"), 1, free_slot=None)
    third = store.update(appointment("a1", "cancelled", description="third"), 2, free_slot=None)
    assert (second.version, third.version) == (2, 3)
    assert third.resource["meta"]["versionId"] == "3"
    current = store.appointment("a1")
    assert current is not None and current.version == 3 and current.resource["status"] == "cancelled"
    for version, description in [(1, "first"), (2, "second"), (3, "third")]:
        stored = store.appointment("a1", version)
        assert stored is not None
        assert stored.version == version
        assert stored.resource["description"] == description
        assert stored.resource["meta"]["versionId"] == str(version)
    assert store.appointment("a1", 4) is None
    # The slot stays busy unless the writer asks for it to be freed.
    assert slot_id not in free_slots(store)


def test_update_frees_the_slot_when_asked(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER)
    store.update(appointment("a1", "cancelled"), 1, free_slot=slot_id)
    assert slot_id in free_slots(store)
    # ...and the freed slot can be booked again.
    store.book(appointment("a2"), slot_id, NHS_NUMBER)


def test_stale_expected_version_is_a_conflict(store: Store) -> None:
    store.book(appointment("a1"), free_slots(store)[0], NHS_NUMBER)
    store.update(appointment("a1", description="second"), 1, free_slot=None)
    with pytest.raises(VersionConflict):
        store.update(appointment("a1", description="lost"), 1, free_slot=None)
    with pytest.raises(VersionConflict):
        store.update(appointment("a1", description="future"), 7, free_slot=None)
    current = store.appointment("a1")
    assert current is not None
    assert (current.version, current.resource["description"]) == (2, "second")
    assert store.appointment("a1", 2) is not None
    assert store.appointment("a1", 3) is None


def test_conflicting_update_does_not_free_the_slot(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER)
    store.update(appointment("a1"), 1, free_slot=None)
    with pytest.raises(VersionConflict):
        store.update(appointment("a1", "cancelled"), 1, free_slot=slot_id)
    assert slot_id not in free_slots(store)


def test_update_of_an_unknown_appointment(store: Store) -> None:
    with pytest.raises(KeyError):
        store.update(appointment("nope"), 1, free_slot=None)


def test_update_without_a_version_check_always_writes(store: Store) -> None:
    store.book(appointment("a1"), free_slots(store)[0], NHS_NUMBER)
    assert store.update(appointment("a1"), None, free_slot=None).version == 2
    assert store.update(appointment("a1"), None, free_slot=None).version == 3


def race(workers: int, attempt: Any) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(workers)
    wins: list[Any] = []
    losses: list[BaseException] = []
    guard = threading.Lock()

    def run(index: int) -> None:
        barrier.wait()
        try:
            result = attempt(index)
        except BaseException as exc:
            with guard:
                losses.append(exc)
        else:
            with guard:
                wins.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return wins, losses


def test_concurrent_updates_of_one_version_exactly_one_succeeds(store: Store) -> None:
    store.book(appointment("a1"), free_slots(store)[0], NHS_NUMBER)
    wins, losses = race(8, lambda n: store.update(appointment("a1", description=f"writer {n}"), 1, free_slot=None))
    assert len(wins) == 1
    assert len(losses) == 7 and all(isinstance(exc, VersionConflict) for exc in losses)
    current = store.appointment("a1")
    assert current is not None and current.version == 2
    assert current.resource["description"] == wins[0].resource["description"]


def test_concurrent_updates_through_separate_connections(tmp_path: Path, store: Store) -> None:
    """Eight connections on one file: the database itself must let exactly one writer win."""
    store.book(appointment("a1"), free_slots(store)[0], NHS_NUMBER)
    stores = [Store(store.path) for _ in range(8)]
    try:
        wins, losses = race(
            8, lambda n: stores[n].update(appointment("a1", description=f"writer {n}"), 1, free_slot=None)
        )
    finally:
        for other in stores:
            other.close()
    assert len(wins) == 1
    assert len(losses) == 7 and all(isinstance(exc, VersionConflict) for exc in losses)
    current = store.appointment("a1")
    assert current is not None and current.version == 2
    assert current.resource["description"] == wins[0].resource["description"]


def test_concurrent_bookings_of_one_slot_exactly_one_succeeds(store: Store) -> None:
    slot_id = free_slots(store)[0]
    wins, losses = race(8, lambda n: store.book(appointment(f"a{n}"), slot_id, NHS_NUMBER))
    assert len(wins) == 1
    assert len(losses) == 7 and all(isinstance(exc, SlotUnavailable) for exc in losses)


def test_appointments_for_patient_excludes_earlier_starts(store: Store) -> None:
    slots = store.slots(SERVICE, ["free"], None, None)
    early, late = slots[0], slots[8]
    store.book(appointment("early"), early.id, NHS_NUMBER)
    store.book(appointment("late"), late.id, NHS_NUMBER)
    store.book(appointment("other"), slots[4].id, "9000000009")
    assert [a.id for a in store.appointments_for_patient(NHS_NUMBER, early.start_epoch)] == ["early", "late"]
    assert [a.id for a in store.appointments_for_patient(NHS_NUMBER, early.start_epoch + 1)] == ["late"]
    assert [a.id for a in store.appointments_for_patient(NHS_NUMBER, late.start_epoch)] == ["late"]
    assert store.appointments_for_patient(NHS_NUMBER, late.start_epoch + 1) == []
    assert [a.id for a in store.appointments_for_patient("9000000009", 0)] == ["other"]
    assert store.appointments_for_patient("1111111111", 0) == []


def test_appointments_for_patient_returns_the_current_version(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER)
    store.update(appointment("a1", "cancelled"), 1, free_slot=slot_id)
    (found,) = store.appointments_for_patient(NHS_NUMBER, 0)
    assert found.version == 2 and found.resource["status"] == "cancelled"


def test_reset_clears_appointments_and_frees_slots(store: Store) -> None:
    slot_id = free_slots(store)[0]
    store.book(appointment("a1"), slot_id, NHS_NUMBER)
    store.reset(TODAY)
    assert store.appointment("a1") is None
    assert store.appointment("a1", 1) is None
    assert slot_id in free_slots(store)


def test_forget_versions_before(store: Store) -> None:
    store.book(appointment("a1"), free_slots(store)[0], NHS_NUMBER)
    store.update(appointment("a1"), 1, free_slot=None)
    store.forget_versions_before("a1", 2)
    assert store.appointment("a1", 1) is None
    assert store.appointment("a1", 2) is not None


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "provider.sqlite3"
    first = Store(path)
    first.reset(TODAY)
    slot_id = free_slots(first)[0]
    first.book(appointment("a1"), slot_id, NHS_NUMBER)
    first.close()
    second = Store(path)
    try:
        stored = second.appointment("a1")
        assert stored is not None and stored.version == 1
        assert slot_id not in free_slots(second)
    finally:
        second.close()


def test_static_resources_are_readable_after_reopening(store: Store) -> None:
    assert store.service_exists(SERVICE)
    assert store.static("Organization", "A91545") is not None
