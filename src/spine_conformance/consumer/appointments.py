"""The reference consumer's appointments actions, through the SSP (digest A2-A5).

Each request goes to the SSP URL joined with the provider URL by one '/', carries the four
Ssp-* headers (a fresh trace ID each) and a freshly minted unsigned JWT for its interaction:
all of that is ``ProviderClient``'s; this client only lets the fault modes change it. A cancel
always starts from a GET and sends back the ETag that GET returned as If-Match (CON-CONC-01).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from spine_conformance.appointments import actions
from spine_conformance.appointments.booking import PATIENT_REF, booking_request
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.checks.slots import SlotWindow, bundle_resources, returned_slots
from spine_conformance.config.model import PatientConfig, TargetConfig
from spine_conformance.consumer import deviations
from spine_conformance.consumer.deviations import Faults
from spine_conformance.consumer.output import Outcome, failed, json_object, refused
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.fhir.versioning import if_match_for
from spine_conformance.http import HarnessHttp, HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction

DESCRIPTION = "Booked by the Spine Conformance reference consumer"
INVALID_GENDER = "not-a-gender"


class ReferenceProviderClient(ProviderClient):
    """``ProviderClient`` with the consumer's fault modes applied to URL, headers and token."""

    def __init__(self, http: HarnessHttp, target: TargetConfig, faults: Faults) -> None:
        super().__init__(http, target)
        self.faults = faults

    def url_for(self, relative: str, direct: bool = False) -> str:
        provider_url = super().url_for(relative, direct=True)
        return (
            provider_url if direct else deviations.request_url(self.target.provider.ssp_url, provider_url, self.faults)
        )

    def token(self, interaction: Interaction) -> str:
        claims = deviations.appointments_token_claims(
            self.target.consumer, self.base_url, interaction, self.faults, int(self.clock())
        )
        return deviations.encode_appointments_token(claims, self.faults)

    def standard_headers(self, interaction: Interaction, has_body: bool) -> dict[str, str]:
        headers = deviations.ssp_headers(super().standard_headers(interaction, has_body), self.faults)
        return deviations.media_type_headers(headers, self.faults)


def search_slots(client: ReferenceProviderClient, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Outcome:
    """GET [base]/Slot: free slots of the service starting in the next ``slot_window_days`` days."""
    response, slots = _free_slots(client, now)
    if slots is None:
        return refused("search-slots", "slot search", response)
    ids = [str(slot["id"]) for slot in slots]
    human = f"{len(ids)} free slot(s) for service {client.target.provider.healthcare_service}"
    return Outcome("search-slots", True, human, response.status, {"slots": ids})


def _free_slots(
    client: ReferenceProviderClient, now: Callable[[], datetime]
) -> tuple[HttpResponse, list[dict[str, Any]] | None]:
    target = client.target
    window = SlotWindow.ahead(now(), target.provider.slot_window_days)
    query = deviations.slot_query(window.query(target.provider.healthcare_service), client.faults)
    response = client.send(Interaction.SEARCH_SLOT, "Slot", params=query, label="search free slots")
    bundle = json_object(response)
    if response.status != 200 or bundle is None or bundle.get("resourceType") != "Bundle":
        return response, None
    # Providers should only return free slots; a careful consumer does not rely on it.
    return response, [slot for slot in returned_slots(bundle) if slot.get("status") == "free" and slot.get("id")]


def booking_body(patient: PatientConfig, slot: dict[str, Any], faults: Faults) -> dict[str, Any]:
    body = booking_request(patient, slot, DESCRIPTION)
    if "invalid-appointment" in faults:
        for resource in body["contained"]:
            if resource.get("id") == PATIENT_REF:
                resource["gender"] = INVALID_GENDER
    return deviations.booking_body(body, faults)


def book(client: ReferenceProviderClient, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Outcome:
    """Search the window, take the first free slot, POST the Appointment (201 expected)."""
    response, slots = _free_slots(client, now)
    if slots is None:
        return refused("book", "slot search", response)
    if not slots:
        service = client.target.provider.healthcare_service
        return failed("book", "booking", f"no free slot for service {service} in the window", response.status)
    slot = slots[0]
    body = booking_body(client.target.patient, slot, client.faults)
    response = client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body, label="book")
    created = json_object(response)
    if "booking-refusal-ignored" in client.faults:  # whatever the provider said, it claims success
        claimed: dict[str, Any] = {"appointment_id": deviations.CONSUMER_CHOSEN_ID, "slot_id": str(slot["id"])}
        return Outcome("book", True, f"booked appointment {deviations.CONSUMER_CHOSEN_ID}", response.status, claimed)
    if response.status not in (200, 201) or created is None or not created.get("id"):
        return refused("book", "booking", response)
    fields = {
        "appointment_id": str(created["id"]),
        "slot_id": str(slot["id"]),
        "versionId": _version(created),
        "etag": response.headers.get("etag"),
    }
    human = f"booked appointment {created['id']} in slot {slot['id']} ({slot.get('start')})"
    return Outcome("book", True, human, response.status, fields)


def read(client: ReferenceProviderClient, appointment_id: str) -> Outcome:
    response = actions.read(client, appointment_id)
    appointment = _appointment(response, (200,))
    if appointment is None:
        return refused("read", "read", response)
    fields = _summary(appointment, response)
    human = f"appointment {appointment_id}: {appointment.get('status')}, version {fields['versionId']}"
    if "read-reports-failure" in client.faults:  # it read the appointment, then says it could not
        return Outcome("read", False, f"read failed: {human}", response.status, {**fields, "error": "failed"})
    return Outcome("read", True, human, response.status, fields)


def search_appointments(client: ReferenceProviderClient, nhs_number: str) -> Outcome:
    parameter = deviations.patient_search_parameter(PATIENT_SEARCH_PARAMETER, client.faults)
    params = [(parameter, f"{NHS_NUMBER_SYSTEM}|{nhs_number}")]
    response = client.send(Interaction.SEARCH_APPOINTMENT, "Appointment", params=params, label="patient appointments")
    bundle = json_object(response)
    if response.status != 200 or bundle is None or bundle.get("resourceType") != "Bundle":
        return refused("search-appointments", "appointment search", response)
    ids = [str(r["id"]) for r in bundle_resources(bundle) if r.get("resourceType") == "Appointment" and r.get("id")]
    human = f"{len(ids)} appointment(s) for the patient"
    return Outcome("search-appointments", True, human, response.status, {"ids": ids})


def cancel(client: ReferenceProviderClient, appointment_id: str) -> Outcome:
    """GET the appointment (mandatory), then PUT it back cancelled with If-Match from that GET."""
    response = actions.read(client, appointment_id)
    current = _appointment(response, (200,))
    if current is None:
        return refused("cancel", "read before cancel", response)
    if_match = None if "no-if-match" in client.faults else _if_match(current, response)
    response = actions.cancel(client, current, if_match, deviations.cancel_changes(current, client.faults))
    cancelled = _appointment(response, (200,))
    if cancelled is None:
        return refused("cancel", "cancel", response)
    fields = _summary(cancelled, response)
    human = f"cancelled appointment {appointment_id}; now version {fields['versionId']}"
    return Outcome("cancel", True, human, response.status, fields)


def _if_match(appointment: dict[str, Any], response: HttpResponse) -> str:
    # The ETag the provider sent is what If-Match must echo; a provider that sent none still
    # states the version in meta.versionId, which is what its ETag would have carried.
    return if_match_for(response.headers.get("etag"), appointment)


def _appointment(response: HttpResponse, statuses: tuple[int, ...]) -> dict[str, Any] | None:
    body = json_object(response)
    if response.status not in statuses or body is None or body.get("resourceType") != "Appointment":
        return None
    return body


def _version(resource: dict[str, Any]) -> str | None:
    version = (resource.get("meta") or {}).get("versionId")
    return str(version) if version is not None else None


def _summary(appointment: dict[str, Any], response: HttpResponse) -> dict[str, Any]:
    return {
        "id": appointment.get("id"),
        "versionId": _version(appointment),
        "appointment_status": appointment.get("status"),
        "etag": response.headers.get("etag"),
    }
