"""The demonstrator's SQLite store: slots, appointments and every appointment version.

Concurrency is optimistic and enforced by the database: booking is
``UPDATE slot ... WHERE status = 'free'`` and an update is
``UPDATE appointment ... WHERE version = ?``; a row count of zero means someone else won.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from spine_conformance.demonstrator.provider.seed import (
    SlotRow,
    fhir_instant,
    slot_json,
    slot_rows,
    static_resources,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS slot (
    id TEXT PRIMARY KEY, schedule_id TEXT NOT NULL, service_id TEXT NOT NULL,
    start_epoch INTEGER NOT NULL, end_epoch INTEGER NOT NULL,
    status TEXT NOT NULL, identifier TEXT NOT NULL, start_text TEXT NOT NULL, end_text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS slot_by_service_start ON slot(service_id, start_epoch);
CREATE TABLE IF NOT EXISTS appointment (
    id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, slot_id TEXT,
    nhs_number TEXT, start_epoch INTEGER, last_modified TEXT NOT NULL, resource TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS appointment_by_patient ON appointment(nhs_number);
CREATE TABLE IF NOT EXISTS appointment_version (
    id TEXT NOT NULL, version INTEGER NOT NULL, last_modified TEXT NOT NULL, resource TEXT NOT NULL,
    PRIMARY KEY (id, version));
CREATE TABLE IF NOT EXISTS static_resource (
    type TEXT NOT NULL, id TEXT NOT NULL, resource TEXT NOT NULL, PRIMARY KEY (type, id));
"""


class SlotUnavailable(Exception):
    """The slot does not exist or is not free."""


class VersionConflict(Exception):
    """The stored version is not the one the writer read."""


@dataclass(frozen=True)
class StoredAppointment:
    id: str
    version: int
    last_modified: str
    resource: dict[str, Any]


@dataclass(frozen=True)
class StoredSlot:
    id: str
    schedule_id: str
    service_id: str
    start_epoch: int
    end_epoch: int
    status: str
    resource: dict[str, Any]


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        # One connection shared by the server loop and resets from the controlling thread.
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._static: dict[tuple[str, str], dict[str, Any]] = {}
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(SCHEMA)
            self._static = self._read_static()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- set-up -----------------------------------------------------------------------------
    def reset(self, today: date | None = None) -> None:
        """Back to the seed data: all slots free, no appointments."""
        rows = slot_rows(today or datetime.now(UTC).date())
        with self._lock:
            self._begin()
            for table in ("slot", "appointment", "appointment_version", "static_resource"):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.executemany(
                "INSERT INTO static_resource VALUES (?, ?, ?)",
                [(r["resourceType"], r["id"], json.dumps(r)) for r in static_resources()],
            )
            self._conn.executemany(
                "INSERT INTO slot VALUES (?, ?, ?, ?, ?, 'free', ?, ?, ?)",
                [_slot_values(row) for row in rows],
            )
            self._conn.execute("COMMIT")
            # The static resources never change between resets, so reads come from memory.
            self._static = self._read_static()

    def _begin(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    # -- reads ------------------------------------------------------------------------------
    def _read_static(self) -> dict[tuple[str, str], dict[str, Any]]:
        rows = self._conn.execute("SELECT type, id, resource FROM static_resource").fetchall()
        return {(kind, key): json.loads(resource) for kind, key, resource in rows}

    def static(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        """A seeded resource (treat as read-only: it is shared between responses)."""
        return self._static.get((resource_type, resource_id))

    def service_exists(self, service_id: str) -> bool:
        return self.static("HealthcareService", service_id) is not None

    def slots(
        self, service_id: str, statuses: Iterable[str], start_from: int | None, start_to: int | None
    ) -> list[StoredSlot]:
        sql = "SELECT * FROM slot WHERE service_id = ?"
        args: list[Any] = [service_id]
        wanted = list(statuses)
        sql += f" AND status IN ({','.join('?' * len(wanted))})"
        args += wanted
        if start_from is not None:
            sql += " AND start_epoch >= ?"
            args.append(start_from)
        if start_to is not None:
            sql += " AND start_epoch <= ?"
            args.append(start_to)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY start_epoch, id", args).fetchall()
        return [_stored_slot(row) for row in rows]

    def slot_by_identifier(self, identifier: str) -> StoredSlot | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM slot WHERE identifier = ?", (identifier,)).fetchone()
        return _stored_slot(row) if row else None

    def has_slots(self, service_id: str) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM slot WHERE service_id = ? LIMIT 1", (service_id,)).fetchone()
        return row is not None

    def slot(self, slot_id: str) -> StoredSlot | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM slot WHERE id = ?", (slot_id,)).fetchone()
        return _stored_slot(row) if row else None

    def appointment(self, appointment_id: str, version: int | None = None) -> StoredAppointment | None:
        with self._lock:
            if version is None:
                row = self._conn.execute(
                    "SELECT id, version, last_modified, resource FROM appointment WHERE id = ?",
                    (appointment_id,),
                ).fetchone()
            else:
                row = self._conn.execute(
                    "SELECT id, version, last_modified, resource FROM appointment_version WHERE id = ? AND version = ?",
                    (appointment_id, version),
                ).fetchone()
        return StoredAppointment(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def appointments_for_patient(self, nhs_number: str, start_from: int) -> list[StoredAppointment]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, version, last_modified, resource FROM appointment"
                " WHERE nhs_number = ? AND start_epoch >= ? ORDER BY start_epoch, id",
                (nhs_number, start_from),
            ).fetchall()
        return [StoredAppointment(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    # -- writes -----------------------------------------------------------------------------
    def book(
        self,
        resource: dict[str, Any],
        slot_id: str,
        nhs_number: str | None,
        *,
        claim_slot: bool = True,
        only_if_free: bool = True,
    ) -> StoredAppointment:
        """Insert version 1 of an appointment, claiming its slot in the same transaction.

        ``claim_slot=False`` exists only for a fault mode that forgets to mark the slot busy, and
        ``only_if_free=False`` only for one that claims the slot whatever its status (a race).
        """
        now = fhir_instant(datetime.now(UTC))
        stored = _with_version(resource, 1, now)
        with self._lock:
            self._begin()
            try:
                if claim_slot:
                    condition = " AND status = 'free'" if only_if_free else ""
                    claimed = self._conn.execute(
                        "UPDATE slot SET status = 'busy' WHERE id = ?" + condition, (slot_id,)
                    ).rowcount
                else:
                    claimed = self._conn.execute(
                        "SELECT COUNT(*) FROM slot WHERE id = ? AND status = 'free'", (slot_id,)
                    ).fetchone()[0]
                if claimed != 1:
                    raise SlotUnavailable(slot_id)
                start = self._conn.execute("SELECT start_epoch FROM slot WHERE id = ?", (slot_id,)).fetchone()[0]
                self._conn.execute(
                    "INSERT INTO appointment VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
                    (stored["id"], _status(stored), slot_id, nhs_number, start, now, json.dumps(stored)),
                )
                self._insert_version(stored["id"], 1, now, stored)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return StoredAppointment(stored["id"], 1, now, stored)

    def update(
        self, resource: dict[str, Any], expected_version: int | None, *, free_slot: str | None
    ) -> StoredAppointment:
        """Write the next version if the stored one is ``expected_version`` (None: no check, a fault)."""
        appointment_id = resource["id"]
        now = fhir_instant(datetime.now(UTC))
        with self._lock:
            self._begin()
            try:
                row = self._conn.execute("SELECT version FROM appointment WHERE id = ?", (appointment_id,)).fetchone()
                if row is None:
                    raise KeyError(appointment_id)
                version = (expected_version if expected_version is not None else row[0]) + 1
                stored = _with_version(resource, version, now)
                condition = "" if expected_version is None else " AND version = ?"
                args: list[Any] = [version, _status(stored), now, json.dumps(stored), appointment_id]
                if expected_version is not None:
                    args.append(expected_version)
                changed = self._conn.execute(
                    "UPDATE appointment SET version = ?, status = ?, last_modified = ?, resource = ?"
                    " WHERE id = ?" + condition,
                    args,
                ).rowcount
                if changed != 1:
                    raise VersionConflict(appointment_id)
                self._conn.execute(
                    "INSERT OR REPLACE INTO appointment_version VALUES (?, ?, ?, ?)",
                    (appointment_id, version, now, json.dumps(stored)),
                )
                if free_slot:
                    self._conn.execute("UPDATE slot SET status = 'free' WHERE id = ?", (free_slot,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return StoredAppointment(appointment_id, version, now, stored)

    def _insert_version(self, appointment_id: str, version: int, now: str, resource: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO appointment_version VALUES (?, ?, ?, ?)",
            (appointment_id, version, now, json.dumps(resource)),
        )

    def forget_versions_before(self, appointment_id: str, version: int) -> None:
        """Drop history (only a fault mode does this: providers MUST keep previous versions)."""
        with self._lock:
            self._conn.execute(
                "DELETE FROM appointment_version WHERE id = ? AND version < ?", (appointment_id, version)
            )


def _slot_values(row: SlotRow) -> tuple[Any, ...]:
    return (
        row.id,
        row.schedule_id,
        row.service_id,
        int(row.start.timestamp()),
        int(row.end.timestamp()),
        row.identifier,
        fhir_instant(row.start),
        fhir_instant(row.end),
    )


def _stored_slot(row: tuple[Any, ...]) -> StoredSlot:
    slot_id, schedule_id, service_id, start_epoch, end_epoch, status, identifier, start_text, end_text = row
    resource = slot_json(slot_id, schedule_id, status, identifier, start_text, end_text)
    return StoredSlot(slot_id, schedule_id, service_id, start_epoch, end_epoch, status, resource)


def _status(resource: dict[str, Any]) -> str:
    # Validation guarantees a status; only fault modes that skip it can store a resource without one.
    return str(resource.get("status", ""))


def _with_version(resource: dict[str, Any], version: int, last_updated: str) -> dict[str, Any]:
    meta = dict(resource.get("meta") or {})
    meta["versionId"] = str(version)
    meta["lastUpdated"] = last_updated
    return {**resource, "meta": meta}
