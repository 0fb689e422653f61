"""Ssp-* header steps: a request of any interaction with one header missing or wrong, sent straight to the
provider (its own checks) or through the SSP (the SSP's)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytest_bdd import parsers, then, when

from spine_conformance.appointments import matrix
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.negative import header_defect, ssp_refusal_status
from spine_conformance.checks.refusals import check_ssp_refusal
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import HttpResponse


@when(
    parsers.re(
        r"the consumer sends its (?P<interaction>\w+) request (?P<route>directly to the provider|through the SSP) "
        r"with (?P<defect>.+)"
    ),
    target_fixture="response",
)
def request_with_header_defect(
    request: pytest.FixtureRequest,
    provider: ProviderClient,
    target: TargetConfig,
    booking_ledger: BookingLedger,
    interaction: str,
    route: str,
    defect: str,
) -> HttpResponse:
    chosen = matrix.interaction_named(interaction)
    overrides = header_defect(provider, defect, chosen)  # straight to the provider
    if route == "through the SSP":
        if not target.provider.ssp_url:
            raise NotTestable("no [provider] ssp_url is configured: requests go straight to the provider")
        overrides = replace(overrides, direct=False)
    setup = matrix.SetUp(request.getfixturevalue)
    return matrix.send(provider, target, booking_ledger, chosen, setup, overrides, f"{interaction} with {defect}")


@then(parsers.parse("the SSP refuses it as SSP-HDR-06 expects for {defect}"))
def ssp_refused(response: HttpResponse, defect: str) -> None:
    check_ssp_refusal(response, ssp_refusal_status(defect))
