"""Ssp-* header steps: a request of any interaction with one header missing or wrong, sent straight to the
provider (its own checks) or through the SSP (the SSP's)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytest_bdd import parsers, then, when

from spine_conformance.appointments import matrix
from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.appointments.negative import header_defect, ssp_refusal_status
from spine_conformance.checks.refusals import check_ssp_refusal
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction


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
    through_ssp = route == "through the SSP"
    if through_ssp and not target.provider.ssp_url:
        raise NotTestable("no [provider] ssp_url is configured: requests go straight to the provider")

    def deviation(chosen: Interaction) -> RequestOverrides:
        overrides = header_defect(provider, defect, chosen)  # straight to the provider
        return replace(overrides, direct=False) if through_ssp else overrides

    return matrix.send_named(
        provider, target, booking_ledger, interaction, request.getfixturevalue, deviation, f"with {defect}"
    )


@then(parsers.parse("the SSP refuses it as SSP-HDR-06 expects for {defect}"))
def ssp_refused(response: HttpResponse, defect: str) -> None:
    check_ssp_refusal(response, ssp_refusal_status(defect))
