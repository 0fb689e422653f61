"""JWT steps: a request of any interaction whose bearer token is missing, malformed or wrong in one way,
and the optional token content a provider must cope with."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from spine_conformance.appointments import matrix
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.negative import token_defect, token_without_practitioner, token_without_smartcard
from spine_conformance.checks.responses import (
    check_error_outcome,
    check_error_outcome_advised,
    check_status,
    resource_body,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

# What a 200 answer to each read-only interaction carries.
ANSWER_TYPES = {
    Interaction.READ_METADATA: "CapabilityStatement",
    Interaction.SEARCH_SLOT: "Bundle",
    Interaction.SEARCH_APPOINTMENT: "Bundle",
    Interaction.CREATE_APPOINTMENT: "Appointment",
    Interaction.READ_APPOINTMENT: "Appointment",
    Interaction.UPDATE_APPOINTMENT: "Appointment",
}


@when(parsers.parse("the consumer sends its {interaction} request presenting {defect}"), target_fixture="response")
def request_with_token_defect(
    request: pytest.FixtureRequest,
    provider: ProviderClient,
    target: TargetConfig,
    booking_ledger: BookingLedger,
    interaction: str,
    defect: str,
) -> HttpResponse:
    return matrix.send_named(
        provider,
        target,
        booking_ledger,
        interaction,
        request.getfixturevalue,
        lambda chosen: token_defect(provider, chosen, defect),
        f"with {defect}",
    )


@when(
    parsers.parse("the consumer sends its {interaction} request for a practitioner who has no smartcard"),
    target_fixture="response",
)
def request_without_smartcard(
    request: pytest.FixtureRequest,
    provider: ProviderClient,
    target: TargetConfig,
    booking_ledger: BookingLedger,
    interaction: str,
) -> HttpResponse:
    return matrix.send_named(
        provider,
        target,
        booking_ledger,
        interaction,
        request.getfixturevalue,
        lambda chosen: token_without_smartcard(provider, chosen),
        "without a smartcard",
    )


@then(parsers.parse("the provider answers it with {status:d} and its resource as JWT-09 requires"))
def accepted_without_smartcard(response: HttpResponse, status: int) -> None:
    check_status(response, status, "JWT-09")
    interaction = Interaction(response.exchange.interaction)
    resource_body(response, ANSWER_TYPES[interaction], "JWT-09")


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


@then("the provider should refuse it with the configured token error status, the search's scope being unpublished")
def token_refused_advised(response: HttpResponse, target: TargetConfig) -> None:
    check_error_outcome_advised(
        response,
        target.spec.token_error_status,
        "JWT-08",
        "no published page states the patient appointment search's scope (the harness infers "
        "patient/appointment.read), so accepting another interaction's scope breaks no published rule",
    )


@then("the provider treats the missing practitioner as spec.practitioner_required says")
def practitioner_choice_honoured(response: HttpResponse, target: TargetConfig) -> None:
    if target.spec.practitioner_required:
        check_error_outcome(response, target.spec.token_error_status, "JWT-08")
    else:
        # Accepted means answered with what was asked for, not any 200.
        check_status(response, 200, "JWT-08")
        resource_body(response, "CapabilityStatement", "JWT-08")
