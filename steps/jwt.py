"""JWT steps: requests whose bearer token is missing, malformed or wrong in one way."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.negative import token_defect, token_without_practitioner
from spine_conformance.checks.responses import check_error_outcome, check_status, resource_body
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


@when(parsers.parse("the consumer reads the CapabilityStatement presenting {defect}"), target_fixture="response")
def read_metadata_with_token_defect(provider: ProviderClient, defect: str) -> HttpResponse:
    overrides = token_defect(provider, Interaction.READ_METADATA, defect)
    return provider.send(Interaction.READ_METADATA, "metadata", overrides=overrides, label=f"metadata with {defect}")


@when(
    "the consumer reads the CapabilityStatement with a conformant token that leaves out requesting_practitioner",
    target_fixture="response",
)
def read_metadata_without_practitioner(provider: ProviderClient) -> HttpResponse:
    overrides = token_without_practitioner(provider, Interaction.READ_METADATA)
    return provider.send(
        Interaction.READ_METADATA, "metadata", overrides=overrides, label="metadata without requesting_practitioner"
    )


@then("the provider refuses it with the configured token error status and an OperationOutcome")
def token_refused(response: HttpResponse, target: TargetConfig) -> None:
    check_error_outcome(response, target.spec.token_error_status, "JWT-08")


@then("the provider treats the missing practitioner as spec.practitioner_required says")
def practitioner_choice_honoured(response: HttpResponse, target: TargetConfig) -> None:
    if target.spec.practitioner_required:
        check_error_outcome(response, target.spec.token_error_status, "JWT-08")
    else:
        # Accepted means answered with what was asked for, not any 200.
        check_status(response, 200, "JWT-08")
        resource_body(response, "CapabilityStatement", "JWT-08")


@when(parsers.parse("the consumer searches for free slots presenting {defect}"), target_fixture="response")
def search_slots_with_token_defect(
    provider: ProviderClient, target: TargetConfig, slot_window: SlotWindow, defect: str
) -> HttpResponse:
    overrides = token_defect(provider, Interaction.SEARCH_SLOT, defect)
    return provider.send(
        Interaction.SEARCH_SLOT,
        "Slot",
        params=slot_window.query(target.provider.healthcare_service),
        overrides=overrides,
        label=f"slot search with {defect}",
    )
