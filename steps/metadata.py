"""read:metadata steps."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.checks.metadata import check_capability_statement
from spine_conformance.checks.responses import check_status, resource_body
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


@when("the consumer reads the provider's CapabilityStatement", target_fixture="response")
def read_metadata(provider: ProviderClient) -> HttpResponse:
    return provider.send(Interaction.READ_METADATA, "metadata")


@then(
    "the provider answers with a CapabilityStatement declaring STU3 and the booking interactions",
    target_fixture="capability_statement",
)
def capability_statement_declared(response: HttpResponse) -> dict[str, Any]:
    check_status(response, 200, "META-01")
    statement = resource_body(response, "CapabilityStatement", "META-01")
    check_capability_statement(statement)
    return statement
