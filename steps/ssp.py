"""Ssp-* header steps: requests with one header missing or wrong, sent straight to the provider."""

from __future__ import annotations

from pytest_bdd import parsers, when

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.negative import header_defect
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


@when(
    parsers.parse("the consumer reads the CapabilityStatement directly from the provider with {defect}"),
    target_fixture="response",
)
def read_metadata_with_header_defect(provider: ProviderClient, defect: str) -> HttpResponse:
    return provider.send(
        Interaction.READ_METADATA,
        "metadata",
        overrides=header_defect(provider, defect),
        label=f"metadata with {defect}",
    )


@when(
    parsers.parse("the consumer searches for free slots directly at the provider with {defect}"),
    target_fixture="response",
)
def search_slots_with_header_defect(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, defect: str
) -> HttpResponse:
    return provider.send(
        Interaction.SEARCH_SLOT,
        "Slot",
        params=slot_window.query(target.provider.healthcare_service),
        overrides=header_defect(provider, defect, Interaction.SEARCH_SLOT),
        label=f"slot search with {defect}",
    )
