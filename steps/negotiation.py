"""Content negotiation steps: asking for JSON or XML by Accept and by _format, XML bodies, the XML gate."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from spine_conformance.appointments import actions
from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.appointments import check_created
from spine_conformance.checks.negotiation import check_charset, check_format, check_format_declared
from spine_conformance.checks.responses import json_body, resource_body
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.media import JSON, MIME_OF, XML, declared_formats
from spine_conformance.fhir.versioning import version_of, weak_etag
from spine_conformance.fhir.xml import json_to_xml
from spine_conformance.findings import require
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import PATIENT_SEARCH_PARAMETER, Interaction

NEVER_ISSUED_ID = "spine-conformance-never-issued-0000"
FORMAT_NAMES = {"JSON": JSON, "XML": XML}


def wanted_headers(wanted: str) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """("XML by Accept", "xml by _format and application/fhir+json by Accept", "nothing") as the
    header overrides (None drops the header) and query parameters that ask for it."""
    headers: dict[str, str | None] = {"Accept": None}
    params: list[tuple[str, str]] = []
    if wanted.strip() == "nothing":
        return headers, params
    for part in wanted.split(" and "):
        value, _, how = part.strip().rpartition(" by ")
        value = MIME_OF.get(FORMAT_NAMES.get(value, ""), value)
        if how == "Accept":
            headers["Accept"] = value
        elif how == "_format":
            params.append(("_format", value))
        else:
            raise ValueError(f"cannot ask for {part!r}: say '<type> by Accept' or '<type> by _format'")
    return headers, params


def negotiated_request(
    request: pytest.FixtureRequest, what: str, wanted: str, extra_headers: dict[str, str] | None = None
) -> HttpResponse:
    """One of the suite's reads or searches, asking for a format the way ``wanted`` says."""
    provider: ProviderClient = request.getfixturevalue("provider")
    target: TargetConfig = request.getfixturevalue("target")
    headers, params = wanted_headers(wanted)
    overrides = RequestOverrides(headers={**headers, **(extra_headers or {})})
    label = f"{what} asking for {wanted}"
    if what == "reads the CapabilityStatement":
        return provider.send(Interaction.READ_METADATA, "metadata", params=params, overrides=overrides, label=label)
    if what == "searches for free slots in the configured window":
        query = request.getfixturevalue("slot_window").query(target.provider.healthcare_service)
        return provider.send(Interaction.SEARCH_SLOT, "Slot", params=query + params, overrides=overrides, label=label)
    if what == "searches for the test patient's appointments":
        query = [(PATIENT_SEARCH_PARAMETER, f"https://fhir.nhs.uk/Id/nhs-number|{target.patient.nhs_number}")]
        return provider.send(
            Interaction.SEARCH_APPOINTMENT, "Appointment", params=query + params, overrides=overrides, label=label
        )
    appointment_id = {
        "reads the appointment": lambda: request.getfixturevalue("booked").id,
        "reads an appointment id the provider never issued": lambda: NEVER_ISSUED_ID,
    }.get(what)
    if appointment_id is None:
        raise ValueError(f"no negotiated request for 'the consumer {what}'")
    path = f"Appointment/{appointment_id()}"
    return provider.send(Interaction.READ_APPOINTMENT, path, params=params, overrides=overrides, label=label)


@given(parsers.parse("the provider declares {fmt} in its CapabilityStatement"))
def format_declared(provider: ProviderClient, target: TargetConfig, fmt: str) -> None:
    if FORMAT_NAMES[fmt] == JSON:
        return
    answer = provider.send(Interaction.READ_METADATA, "metadata", label="which formats are declared")
    check_format_declared(resource_body(answer, "CapabilityStatement", "META-01"), XML, target.spec.profiles)


@when(parsers.parse("the consumer {what} asking for {wanted}"), target_fixture="response")
def ask_for_format(request: pytest.FixtureRequest, what: str, wanted: str) -> HttpResponse:
    return negotiated_request(request, what, wanted)


@then(parsers.parse("the answer is {fmt} as {requirement} requires"))
def answer_in_format(response: HttpResponse, fmt: str, requirement: str) -> None:
    check_format(response, FORMAT_NAMES[fmt], requirement)


@then(parsers.parse("the refusal is in {fmt} as {requirement} requires"))
def refusal_in_format(response: HttpResponse, fmt: str, requirement: str) -> None:
    check_format(response, FORMAT_NAMES[fmt], requirement, success=False)


@then("its Content-Type declares charset=utf-8")
def declares_charset(response: HttpResponse) -> None:
    check_charset(response)


def _body_overrides(fmt: str, *, accept: bool) -> RequestOverrides:
    mime = MIME_OF[fmt]
    return RequestOverrides(headers={"Content-Type": f"{mime};charset=utf-8", "Accept": mime if accept else None})


@when(parsers.re(r"the consumer books the slot for the test patient in (?P<fmt>JSON|XML)"), target_fixture="response")
def book_in_format(
    provider: ProviderClient, target: TargetConfig, free_slot: dict[str, Any], booking_ledger: BookingLedger, fmt: str
) -> HttpResponse:
    return _book_in(FORMAT_NAMES[fmt], provider, target, free_slot, booking_ledger, accept=True)


@when("the consumer books the slot for the test patient in XML without an Accept header", target_fixture="response")
def book_in_xml_without_accept(
    provider: ProviderClient, target: TargetConfig, free_slot: dict[str, Any], booking_ledger: BookingLedger
) -> HttpResponse:
    return _book_in(XML, provider, target, free_slot, booking_ledger, accept=False)


def _book_in(
    fmt: str,
    provider: ProviderClient,
    target: TargetConfig,
    slot: dict[str, Any],
    ledger: BookingLedger,
    *,
    accept: bool,
) -> HttpResponse:
    request = booking_request(target.patient, slot, actions.DESCRIPTION)
    body = json_to_xml(request) if fmt == XML else json.dumps(request).encode()
    response = provider.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=body,
        overrides=_body_overrides(fmt, accept=accept),
        label=f"book in {fmt.upper()}" + ("" if accept else " without an Accept header"),
    )
    actions.record_created(response, ledger)
    return response


@then(
    "the booking is confirmed with 201, a versioned Location, an ETag and the stored Appointment",
    target_fixture="booked",
)
def booking_confirmed_for_slot(
    response: HttpResponse, provider: ProviderClient, free_slot: dict[str, Any]
) -> actions.Booked:
    appointment = check_created(response, provider.base_url, str(free_slot["id"]))
    return actions.Booked(appointment, str(response.headers.get("etag")), free_slot)


@when(
    parsers.re(r"the consumer cancels it in (?P<fmt>JSON|XML) with If-Match from the ETag it read"),
    target_fixture="response",
)
def cancel_in_format(provider: ProviderClient, current: dict[str, Any], fmt: str) -> HttpResponse:
    cancelled = {**current, "status": "cancelled"}
    body = json_to_xml(cancelled) if fmt == "XML" else json.dumps(cancelled).encode()
    return provider.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{current['id']}",
        body=body,
        extra_headers={"If-Match": weak_etag(version_of(current))},
        overrides=_body_overrides(FORMAT_NAMES[fmt], accept=True),
        label=f"cancel in {fmt}",
    )


@then(parsers.parse("the CapabilityStatement declares and serves both formats as {requirement} requires"))
def both_formats(response: HttpResponse, requirement: str) -> None:
    statement = json_body(response, requirement)
    declared = declared_formats(statement) if isinstance(statement, dict) else set()
    require(declared == {JSON, XML}, requirement, "format declaring JSON and XML", sorted(declared))
    check_format(response, XML, requirement)
