"""When the reference consumer may check an exemption: the situation, the age rule, one check per prescription.

- The situation the dispensing system is in (``--state``, see :mod:`spine_conformance.virtual.states`):
  a user without activity B0570 or without a session (FR-12, FR-13), a prisoner on release (FR-21),
  items exempt by what they are (FR-22), an EPS Release 1 prescription (FR-30, FR-32), a patient
  not synchronised, deceased or sensitive (FR-5, FR-6, FR-7), automatic checking switched off with
  no check started by hand (FR-25), a claim being amended (FR-52): no check.
- FR-20 (RTEC-CLI-01): patients under 16 or aged 60 and over are exempt by age; they are never
  checked.
- FR-23/FR-31 (RTEC-CLI-02): a prescription is checked once, on dispensing; never again, never
  by polling. The prescriptions already checked are kept in ``checked-prescriptions.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

try:  # POSIX: a lock makes "checked yet?" and "now it is" one step across processes
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, the file is still atomic
    fcntl = None  # type: ignore[assignment]

EXEMPT_UNDER = 16
EXEMPT_FROM = 60
STATE_FILE = "checked-prescriptions.json"
LOCK_FILE = "checked-prescriptions.lock"


# The states in which no check may be made, and what the user is told (Client Functional Requirements v1.0).
NO_CHECK_IN: dict[str, str] = {
    "user-without-b0570": "the user's role lacks RBAC activity B0570 (PEC-FR-12)",
    "user-not-authenticated": "no user is logged in (PEC-FR-13)",
    "prisoner-on-release": "a prisoner on release pays no prescription charge (PEC-FR-21)",
    "contraceptive-item": "contraceptive items are free of charge (PEC-FR-22)",
    "sexual-health-endorsement": "the SH endorsement makes the item free of charge (PEC-FR-22)",
    "eps-release-1": "an EPS Release 1 prescription cannot be claimed electronically (PEC-FR-30, PEC-FR-32)",
    "patient-not-synchronised": "the patient's record is not synchronised with Spine Demographics (PEC-FR-5)",
    "patient-formally-deceased": "the patient is recorded as deceased (PEC-FR-6)",
    "patient-informally-deceased": "the patient is recorded as deceased (PEC-FR-6)",
    "patient-sensitive": "the patient's record is flagged sensitive (PEC-FR-7)",
    "automatic-checking-off": "automatic checking is switched off and no check was started by hand (PEC-FR-25)",
    "claim-amendment": "a claim being amended is not checked again (PEC-FR-52)",
}
# The fault modes that make the consumer check in those states anyway (each breaks one requirement).
CHECKS_ANYWAY: dict[str, tuple[str, ...]] = {
    "checks-unauthorised-users": ("user-without-b0570", "user-not-authenticated"),
    "checks-prisoners": ("prisoner-on-release",),
    "checks-exempt-items": ("contraceptive-item", "sexual-health-endorsement"),
    "checks-eps-r1": ("eps-release-1",),
    "checks-restricted-patients": (
        "patient-not-synchronised",
        "patient-formally-deceased",
        "patient-informally-deceased",
        "patient-sensitive",
    ),
    "checks-with-automatic-checking-off": ("automatic-checking-off",),
    "checks-claim-amendments": ("claim-amendment",),
}


def state_forbids_check(state: str, faults: Collection[str]) -> str | None:
    """Why no check may be made in ``state`` (None: go ahead), unless a fault ignores that rule."""
    ignored = {name for fault in faults for name in CHECKS_ANYWAY.get(fault, ())}
    return None if state in ignored else NO_CHECK_IN.get(state)


class StateUnreadable(Exception):
    """The state file exists but is not what this consumer wrote; it is not silently replaced."""


def age_on(born: date, today: date) -> int:
    """Completed years on ``today``; someone born on 29 February turns a year older on 1 March."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_exemption(born: date, today: date) -> str | None:
    """Why the patient is exempt by age (and so must not be checked), or None."""
    age = age_on(born, today)
    if age < EXEMPT_UNDER:
        return f"exempt by age: {age}, under {EXEMPT_UNDER}"
    if age >= EXEMPT_FROM:
        return f"exempt by age: {age}, {EXEMPT_FROM} or over"
    return None


class CheckedPrescriptions:
    """The prescriptions already checked, as ``{"checked": {id: checked_at}}`` in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / STATE_FILE

    def checked(self) -> dict[str, str]:
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        try:
            state = json.loads(text)
            checked = state["checked"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise StateUnreadable(f"{self.path} is not a checked-prescriptions file") from None
        if not isinstance(checked, dict):
            raise StateUnreadable(f"{self.path} is not a checked-prescriptions file")
        return {str(key): str(value) for key, value in checked.items()}

    def claim(self, prescription_id: str, now: datetime | None = None) -> bool:
        """Record the prescription as checked; False if it already was (then nothing changes).

        It is recorded before the request is sent, so a check that fails or times out still
        counts: the patient's paper declaration is the answer then, not a second check.
        """
        with self._locked():
            checked = self.checked()
            if prescription_id in checked:
                return False
            checked[prescription_id] = (now or datetime.now(UTC)).isoformat(timespec="seconds")
            self._write(checked)
            return True

    def record(self, prescription_id: str, now: datetime | None = None) -> None:
        """Record the prescription whether or not it was checked before (the rechecks fault)."""
        with self._locked():
            checked = self.checked()
            checked.setdefault(prescription_id, (now or datetime.now(UTC)).isoformat(timespec="seconds"))
            self._write(checked)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_FILE, "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield  # the lock is released when the file is closed

    def _write(self, checked: dict[str, str]) -> None:
        # Write a sibling file and rename it over the old one: readers never see half a file.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".checked-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"checked": checked}, out, indent=2, sort_keys=True)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
