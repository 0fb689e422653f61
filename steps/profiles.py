"""Assurance profile steps: the TKW pack's and GP Connect's own HTTP rules (gzip, caching, CORS)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.responses import check_status
from spine_conformance.checks.rest import check_gzip, check_no_store, check_preflight
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction

from .negotiation import negotiated_request

BROWSER_ORIGIN = "https://consumer.example"
PREFLIGHT_HEADERS = ("authorization", "content-type", "ssp-from", "ssp-interactionid", "ssp-to", "ssp-traceid")


@given(parsers.parse("the {profile} assurance profile is selected"))
def profile_selected(target: TargetConfig, profile: str) -> None:
    if profile not in target.spec.profiles:
        raise NotTestable(
            f"a rule of the {profile} assurance pack, not of the Booking specification: select it with "
            f'[spec] profiles = ["{profile}"] to have it judged'
        )


@when(parsers.parse("the consumer {what} with Accept-Encoding gzip"), target_fixture="response")
def ask_for_gzip(request: pytest.FixtureRequest, what: str) -> HttpResponse:
    return negotiated_request(request, what, "JSON by Accept", {"Accept-Encoding": "gzip"})


@then(parsers.parse("the answer is gzip-encoded as {requirement} requires"))
def gzip_encoded(response: HttpResponse, requirement: str) -> None:
    check_gzip(response, (requirement,))


@when("the consumer books the slot for the test patient with a gzip-compressed body", target_fixture="response")
def book_gzipped(
    provider: ProviderClient,
    target: TargetConfig,
    free_slot: dict[str, Any],
    booking_ledger: BookingLedger,
) -> HttpResponse:
    body = gzip.compress(json.dumps(booking_request(target.patient, free_slot, actions.DESCRIPTION)).encode())
    response = provider.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=body,
        extra_headers={"Content-Encoding": "gzip", "Accept-Encoding": "gzip"},
        label="book with a gzip body",
    )
    actions.record_created(response, booking_ledger)
    return response


@then(parsers.parse("the booking is accepted with 201 as {requirement} requires"))
def booking_accepted(response: HttpResponse, requirement: str) -> None:
    check_status(response, 201, requirement)


@then("every answer says Cache-Control: no-store")
def every_answer_no_store(exchange_log: ExchangeLog) -> None:
    check_no_store(exchange_log.exchanges)


@when("a browser sends a CORS pre-flight for a booking", target_fixture="response")
def cors_preflight(http: HarnessHttp, provider: ProviderClient) -> HttpResponse:
    return http.send(
        "OPTIONS",
        provider.url_for("Appointment"),
        headers={
            "Origin": BROWSER_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": ", ".join(PREFLIGHT_HEADERS),
        },
        label="CORS pre-flight",
    )


@then("the pre-flight allows the origin, the method and the headers")
def preflight_allows(response: HttpResponse) -> None:
    check_preflight(response, BROWSER_ORIGIN, "POST", PREFLIGHT_HEADERS)
