"""Single appointment requests shared by the suite's set-up, its clean-up and the reference consumer."""

from __future__ import annotations

from typing import Any

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction


def read(provider: ProviderClient, appointment_id: str, version: str | None = None, label: str = "") -> HttpResponse:
    path = f"Appointment/{appointment_id}" + (f"/_history/{version}" if version else "")
    return provider.send(Interaction.READ_APPOINTMENT, path, label=label or ("read" if version is None else "vread"))


def cancel(
    provider: ProviderClient,
    appointment: dict[str, Any],
    if_match: str | None,
    changes: dict[str, Any] | None = None,
    label: str = "cancel",
) -> HttpResponse:
    body = {**appointment, "status": "cancelled", **(changes or {})}
    headers = {"If-Match": if_match} if if_match is not None else {}
    return provider.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{appointment['id']}",
        body=body,
        extra_headers=headers,
        label=label,
    )


def search_patient_appointments(provider: ProviderClient, nhs_number: str, label: str = "") -> HttpResponse:
    return provider.send(
        Interaction.SEARCH_APPOINTMENT,
        "Appointment",
        params=[(PATIENT_SEARCH_PARAMETER, f"{NHS_NUMBER_SYSTEM}|{nhs_number}")],
        label=label or "search the patient's appointments",
    )
