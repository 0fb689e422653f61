"""FHIR REST layer steps: wrong verbs, unknown paths, non-FHIR bodies, a PUT to an unknown id,
response headers, the return preference and the CapabilityStatement's content.

Requests probing the provider's own refusals go straight to it, as the SSP header steps do: an SSP
in the path would answer a bad verb or media type itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_bdd import parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.capability import check_capability_content
from spine_conformance.checks.responses import check_error_outcome, resource_body
from spine_conformance.checks.rest import (
    check_cancel_location,
    check_date_headers,
    check_last_modified,
    check_minimal,
    check_representation,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.fhir.xml import json_to_xml
from spine_conformance.http import ExchangeLog, HttpResponse
from spine_conformance.interactions import Interaction, interaction_for

NEVER_ISSUED_ID = "spine-conformance-never-issued-0000"
DIRECT = RequestOverrides(direct=True)


BOOKED = "the booked appointment"


@when(parsers.parse("the consumer sends {verb} to {path} directly at the provider"), target_fixture="response")
def send_verb(provider: ProviderClient, verb: str, path: str, request: pytest.FixtureRequest) -> HttpResponse:
    """``path`` is relative to the FHIR base, or "the booked appointment" (the scenario's booking)."""
    relative = f"Appointment/{request.getfixturevalue('booked').id}" if path == BOOKED else path
    # The headers and token of the interaction the path names (read:metadata for a path naming none).
    named = interaction_for("GET", relative.split("?")[0], "?" in relative) or Interaction.READ_METADATA
    body = b"{}" if verb in ("POST", "PUT", "PATCH") else None
    return provider.send(named, relative, body=body, overrides=DIRECT, method=verb, label=f"{verb} {path}")


@then(parsers.parse("the request is refused with one of {statuses} and an OperationOutcome as {requirement} requires"))
def refused_with_one_of(response: HttpResponse, statuses: str, requirement: str) -> None:
    check_error_outcome(response, {int(status) for status in statuses.split(",")}, requirement)


@when(
    parsers.parse("the consumer books the slot directly at the provider declaring Content-Type {content_type}"),
    target_fixture="response",
)
def book_declaring(
    provider: ProviderClient,
    target: TargetConfig,
    free_slot: dict[str, Any],
    booking_ledger: BookingLedger,
    content_type: str,
) -> HttpResponse:
    request = booking_request(target.patient, free_slot, actions.DESCRIPTION)
    # An XML type carries the booking in XML, as the TKW pack's test does; any other type carries JSON.
    body = json_to_xml(request) if "xml" in content_type else json.dumps(request).encode()
    response = provider.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=body,
        overrides=RequestOverrides(headers={"Content-Type": content_type}, direct=True),
        label=f"book declaring {content_type}",
    )
    actions.record_created(response, booking_ledger)
    return response


@when("the consumer cancels an appointment id the provider never issued", target_fixture="response")
def cancel_unknown(provider: ProviderClient, booked: actions.Booked, booking_ledger: BookingLedger) -> HttpResponse:
    body = {**booked.appointment, "id": NEVER_ISSUED_ID, "status": "cancelled"}
    body.pop("meta", None)
    response = provider.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{NEVER_ISSUED_ID}",
        body=body,
        extra_headers={"If-Match": weak_etag("1")},
        label="cancel an id never issued",
    )
    actions.record_created(response, booking_ledger)  # a provider that created it leaves nothing behind
    return response


@then("every answer carries a Date header")
def every_answer_dated(exchange_log: ExchangeLog) -> None:
    check_date_headers(exchange_log.exchanges)


@then("the cancel's answer carries the appointment's absolute URL as its Location")
def cancel_location(response: HttpResponse, provider: ProviderClient, current: dict[str, Any]) -> None:
    check_cancel_location(response, provider.base_url, str(current["id"]))


@then("the booking's answer carries a Last-Modified date")
def booking_last_modified(response: HttpResponse) -> None:
    check_last_modified(response)


@when(
    parsers.parse("the consumer books the slot for the test patient preferring return={preference}"),
    target_fixture="response",
)
def book_preferring(
    provider: ProviderClient,
    target: TargetConfig,
    free_slot: dict[str, Any],
    booking_ledger: BookingLedger,
    preference: str,
) -> HttpResponse:
    response = provider.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=booking_request(target.patient, free_slot, actions.DESCRIPTION),
        extra_headers={"Prefer": f"return={preference}"},
        label=f"book preferring return={preference}",
    )
    actions.record_created(response, booking_ledger)
    return response


@when(
    parsers.parse("the consumer cancels it with If-Match from the ETag it read preferring return={preference}"),
    target_fixture="response",
)
def cancel_preferring(provider: ProviderClient, current: dict[str, Any], preference: str) -> HttpResponse:
    return provider.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{current['id']}",
        body={**current, "status": "cancelled"},
        extra_headers={"If-Match": weak_etag(version_of(current)), "Prefer": f"return={preference}"},
        label=f"cancel preferring return={preference}",
    )


@then(parsers.parse("the answer honours return={preference} for an Appointment"))
def honours_preference(response: HttpResponse, preference: str) -> None:
    if preference == "minimal":
        check_minimal(response, (200, 201))
    else:
        check_representation(response, (200, 201), "Appointment")


@then("it names its publisher, software, formats, CareConnect profiles, search parameters and _includes")
def capability_content(response: HttpResponse) -> None:
    check_capability_content(resource_body(response, "CapabilityStatement", "META-02"))
