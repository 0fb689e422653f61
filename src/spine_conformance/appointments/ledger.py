"""What the suite booked, so it can cancel it afterwards and leave a shared target as it found it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.requests import cancel, read
from spine_conformance.fhir.versioning import if_match_for


@dataclass
class BookingLedger:
    """Appointment ids created during one scenario; :meth:`cancel_all` undoes them."""

    ids: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, appointment_id: str) -> None:
        with self._lock:
            if appointment_id not in self.ids:
                self.ids.append(appointment_id)

    def cancel_all(self, provider: ProviderClient) -> list[str]:
        """Cancel every recorded appointment still booked; returns what could not be cleaned up."""
        left: list[str] = []
        for appointment_id in self.ids:
            try:
                answer = read(provider, appointment_id, label="clean-up read")
                if answer.status != 200:
                    continue
                current = answer.json()
                if current.get("status") == "cancelled":
                    continue
                done = cancel(
                    provider, current, if_match_for(answer.headers.get("etag"), current), label="clean-up cancel"
                )
                if done.status != 200:
                    left.append(appointment_id)
            except Exception:  # clean-up must never hide the scenario's own outcome
                left.append(appointment_id)
        return left
