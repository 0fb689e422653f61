"""Any of the six interactions, sent once with one deliberate deviation (a token or header defect).

A negative matrix tries each defect on every interaction, so the request for each interaction is
built here once: the CapabilityStatement read, the slot search in the configured window, a booking
of a free slot, the patient's appointment search, a read of a booked appointment and its cancel
(with the If-Match of the version booked). What an interaction needs is given by the scenario's
own set-up steps (a free slot, a booked appointment); a booking that the provider accepts anyway is
remembered so it is cancelled when the scenario ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spine_conformance.appointments import actions
from spine_conformance.appointments.actions import Booked
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction


@dataclass(frozen=True)
class SetUp:
    """What the scenario's set-up steps prepared; ``need`` fetches one by its fixture name on demand."""

    need: Callable[[str], Any]


def send_named(
    provider: ProviderClient,
    target: TargetConfig,
    ledger: BookingLedger,
    name: str,
    need: Callable[[str], Any],
    deviation: Callable[[Interaction], RequestOverrides],
    what: str,
) -> HttpResponse:
    """The request of the interaction a feature file names, with ``deviation`` (labelled ``name what``)."""
    chosen = interaction_named(name)
    return send(provider, target, ledger, chosen, SetUp(need), deviation(chosen), f"{name} {what}")


def interaction_named(name: str) -> Interaction:
    try:
        return Interaction(name)
    except ValueError:
        known = ", ".join(interaction.value for interaction in Interaction)
        raise KeyError(f"no interaction named {name!r}; the feature file may use: {known}") from None


def send(
    provider: ProviderClient,
    target: TargetConfig,
    ledger: BookingLedger,
    interaction: Interaction,
    setup: SetUp,
    overrides: RequestOverrides,
    label: str,
) -> HttpResponse:
    """``interaction``'s request with ``overrides`` (everything else as a conformant consumer sends it)."""
    if interaction is Interaction.READ_METADATA:
        return provider.send(interaction, "metadata", overrides=overrides, label=label)
    if interaction is Interaction.SEARCH_SLOT:
        query = actions.slot_window(target).query(target.provider.healthcare_service)
        return provider.send(interaction, "Slot", params=query, overrides=overrides, label=label)
    if interaction is Interaction.SEARCH_APPOINTMENT:
        value = f"{NHS_NUMBER_SYSTEM}|{target.patient.nhs_number}"
        params = [(PATIENT_SEARCH_PARAMETER, value)]
        return provider.send(interaction, "Appointment", params=params, overrides=overrides, label=label)
    if interaction is Interaction.CREATE_APPOINTMENT:
        slot: dict[str, Any] = setup.need("free_slot")
        body = booking_request(target.patient, slot, actions.DESCRIPTION, target.spec.edition)
        response = provider.send(interaction, "Appointment", body=body, overrides=overrides, label=label)
        actions.record_created(response, ledger)  # served despite the defect: still cancelled afterwards
        return response
    booked: Booked = setup.need("booked")
    if interaction is Interaction.READ_APPOINTMENT:
        return provider.send(interaction, f"Appointment/{booked.id}", overrides=overrides, label=label)
    cancelled = {**booked.appointment, "status": "cancelled"}
    return provider.send(
        interaction,
        f"Appointment/{booked.id}",
        body=cancelled,
        extra_headers={"If-Match": booked.etag},
        overrides=overrides,
        label=label,
    )
