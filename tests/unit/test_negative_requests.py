"""Deliberately defective requests for the negative scenarios: each changes exactly one thing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.negative import (
    CANCEL_CHANGES,
    HEADER_DEFECTS,
    SLOT_QUERY_DEFECTS,
    TOKEN_DEFECTS,
    UnknownDefect,
    cancel_change,
    header_defect,
    slot_query_defect,
    token_defect,
    token_without_practitioner,
    token_without_smartcard,
)
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config.model import PatientConfig, ProviderConfig, TargetConfig
from spine_conformance.fhir import booking_problems, cancel_problems, examples, validate_resource
from spine_conformance.http import Exchange, HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction
from spine_conformance.ssp import SSP_HEADERS, TRACE_ID, is_uuid
from spine_conformance.tokens import bearer_token, decode_unverified, inspect_appointments_token

Json = dict[str, Any]
BASE = "https://p.example/STU3/1"
SSP = "https://ssp.example/"
PROVIDER = ProviderConfig(base_url=BASE, asid="918999198993", ssp_url=SSP, healthcare_service="918999198999")
NOW = 1_767_225_600  # a fixed clock keeps the minted tokens of two requests identical


def client(target: TargetConfig | None = None) -> ProviderClient:
    return ProviderClient(http=None, target=target or TargetConfig(provider=PROVIDER))  # type: ignore[arg-type]


class RecordingHttp:
    """Stands in for HarnessHttp: records what would have been sent and answers 200."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, str]]] = []

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Sequence[tuple[str, str]] | None = None,
        content: bytes = b"",
        label: str = "",
        interaction: str = "",
    ) -> HttpResponse:
        self.sent.append((url, dict(headers or {})))
        exchange = Exchange(label, method, url, [], content, 0.0, status=200)
        return HttpResponse(200, httpx.Headers(), b"{}", url, exchange)


def sent_metadata_request(overrides_for: Callable[[ProviderClient], Any] | None) -> tuple[str, dict[str, str]]:
    http = RecordingHttp()
    provider = ProviderClient(cast(HarnessHttp, http), TargetConfig(provider=PROVIDER), clock=lambda: NOW)
    overrides = overrides_for(provider) if overrides_for else None
    provider.send(Interaction.READ_METADATA, "metadata", overrides=overrides)
    [sent] = http.sent
    return sent


def unknown_message(raised: pytest.ExceptionInfo[UnknownDefect]) -> str:
    return str(raised.value.args[0])


# -- Ssp-* headers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(HEADER_DEFECTS))
def test_header_defect_goes_direct_and_names_one_ssp_header(name: str) -> None:
    overrides = header_defect(client(), name)
    assert overrides.direct is True
    [header] = overrides.headers
    assert header in SSP_HEADERS


@pytest.mark.parametrize("name", sorted(HEADER_DEFECTS))
def test_header_defect_changes_exactly_that_header(name: str) -> None:
    baseline_url, baseline = sent_metadata_request(None)
    url, sent = sent_metadata_request(lambda provider: header_defect(provider, name))
    [(header, value)] = header_defect(client(), name).headers.items()

    assert baseline_url == f"{SSP}{BASE}/metadata"
    assert url == f"{BASE}/metadata"  # straight to the provider
    if value is None:
        assert header not in sent
    else:
        assert sent[header] == value != baseline[header]
    untouched = set(baseline) - {header, TRACE_ID}
    assert {h: sent[h] for h in untouched} == {h: baseline[h] for h in untouched}
    assert set(sent) - {header} == set(baseline) - {header}
    if header != TRACE_ID:
        assert is_uuid(sent[TRACE_ID])


def test_unknown_header_defect() -> None:
    with pytest.raises(UnknownDefect) as raised:
        header_defect(client(), "a lowercase ssp-traceid")
    message = unknown_message(raised)
    assert "'a lowercase ssp-traceid'" in message
    assert all(name in message for name in HEADER_DEFECTS)


# -- the JWT -----------------------------------------------------------------------------------------
EXPECTED_TOKEN_FINDINGS: dict[str, str] = {
    "a token that is not base64url": "JWT-01",
    "a token without iss": "JWT-02",
    "a token without sub": "JWT-02",
    "a token without aud": "JWT-02",
    "a token without iat": "JWT-02",
    "a token without exp": "JWT-02",
    "a token without reason_for_request": "JWT-03",
    "a token without requested_scope": "JWT-04",
    "a token without requesting_device": "JWT-05",
    "a token without requesting_organization": "JWT-06",
    "an expired token": "JWT-02",
    "a token whose exp is iat + 600": "JWT-02",
    "a token for another audience": "JWT-02",
    "a token with the scope of another interaction": "JWT-04",
    "a token whose reason_for_request is not directcare": "JWT-03",
    "a token whose exp is iat + 299": "JWT-02",
    "a token whose exp is iat + 301": "JWT-02",
    "a token whose exp is before its iat": "JWT-02",
    "a requesting_device that is not a Device": "JWT-05",
    "a requesting_device without an identifier": "JWT-05",
    "a requesting_organization that is not an Organization": "JWT-06",
    "a requesting_organization without an ODS code": "JWT-06",
    "a requesting_practitioner that is not a Practitioner": "JWT-07",
    "a requesting_practitioner whose id is not sub": "JWT-07",
    "a requesting_practitioner without SDS identifiers": "JWT-07",
}


def inspect(authorization: str | None, practitioner_required: bool = False) -> list[str]:
    found = inspect_appointments_token(
        authorization,
        audience=client().base_url,
        interaction=Interaction.READ_METADATA,
        now=int(time.time()),
        practitioner_required=practitioner_required,
    )
    return [finding.requirement for finding in found]


def test_every_token_defect_has_an_expectation() -> None:
    assert set(TOKEN_DEFECTS) == {*EXPECTED_TOKEN_FINDINGS, "no Authorization header"}


def test_the_conformant_token_is_clean() -> None:
    assert inspect("Bearer " + client().token(Interaction.READ_METADATA)) == []


@pytest.mark.parametrize(("name", "requirement"), sorted(EXPECTED_TOKEN_FINDINGS.items()))
def test_token_defect_is_reported_by_the_inspection(name: str, requirement: str) -> None:
    overrides = token_defect(client(), Interaction.READ_METADATA, name)
    assert overrides.direct is False
    [(header, value)] = overrides.headers.items()
    assert header == "Authorization"
    assert value is not None
    assert value.startswith("Bearer ")
    found = inspect(value)
    assert found
    assert requirement in found


def test_no_authorization_header_removes_it() -> None:
    overrides = token_defect(client(), Interaction.READ_METADATA, "no Authorization header")
    assert dict(overrides.headers) == {"Authorization": None}
    _, sent = sent_metadata_request(
        lambda provider: token_defect(provider, Interaction.READ_METADATA, "no Authorization header")
    )
    assert "Authorization" not in sent


def test_unknown_token_defect() -> None:
    with pytest.raises(UnknownDefect) as raised:
        token_defect(client(), Interaction.READ_METADATA, "a token signed with RS256")
    assert all(name in unknown_message(raised) for name in TOKEN_DEFECTS)


def test_a_token_without_a_smartcard_is_conformant() -> None:
    value = token_without_smartcard(client(), Interaction.READ_METADATA).headers["Authorization"]
    assert inspect(value) == []
    assert value is not None and "UNK" in json.dumps(decode_unverified(bearer_token(value)).claims)


def test_token_without_practitioner() -> None:
    overrides = token_without_practitioner(client(), Interaction.READ_METADATA)
    value = overrides.headers["Authorization"]
    assert inspect(value, practitioner_required=False) == []
    assert inspect(value, practitioner_required=True) == ["JWT-07"]


# -- slot queries ------------------------------------------------------------------------------------
WINDOW = SlotWindow.ahead(datetime(2025, 5, 1, 9, tzinfo=UTC), 7)
QUERY = WINDOW.query("918999198999")


def changed(query: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(removed, added) relative to the conformant query."""
    return [p for p in QUERY if p not in query], [p for p in query if p not in QUERY]


EXPECTED_QUERY_CHANGES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "an unknown search parameter": ([], [("colour", "blue")]),
    "a status that is not free or busy": ([("status", "free")], [("status", "bogus")]),
    "a start that is not a date": ([QUERY[2]], [("start", "genot-a-date")]),
    "no service parameter": ([QUERY[0]], []),
    "an unsupported _include": ([], [("_include", "Slot:not-a-search-parameter")]),
}


def test_every_slot_query_defect_has_an_expectation() -> None:
    assert set(SLOT_QUERY_DEFECTS) == set(EXPECTED_QUERY_CHANGES)


@pytest.mark.parametrize(("name", "change"), sorted(EXPECTED_QUERY_CHANGES.items()))
def test_slot_query_defect_changes_the_query(
    name: str, change: tuple[list[tuple[str, str]], list[tuple[str, str]]]
) -> None:
    query = slot_query_defect(WINDOW, "918999198999", name)
    assert query != QUERY
    assert changed(query) == change


def test_unknown_slot_query_defect() -> None:
    with pytest.raises(UnknownDefect) as raised:
        slot_query_defect(WINDOW, "918999198999", "a negative _count")
    assert all(name in unknown_message(raised) for name in SLOT_QUERY_DEFECTS)


# -- invalid Appointments ----------------------------------------------------------------------------
def booking() -> Json:
    return booking_request(PatientConfig(), examples.slot(), "negative test")


def errors(body: Json) -> tuple[list[str], list[str]]:
    """Expressions of the errors (validate_resource, booking_problems) report."""
    validated = [issue.expression for issue in validate_resource(body).errors]
    problems = [issue.expression for issue in booking_problems(body) if issue.is_error]
    return validated, problems


def test_the_conformant_booking_is_clean() -> None:
    assert errors(booking()) == ([], [])


# -- cancellations that change more than the status -------------------------------------------------
def stored() -> Json:
    return {**booking(), "id": "a1", "meta": {"versionId": "1"}}


def cancellation(current: Json, changes: Json | None = None) -> Json:
    return {**current, "status": "cancelled", **(changes or {})}


def test_a_plain_cancel_is_acceptable() -> None:
    current = stored()
    assert cancel_problems(current, cancellation(current)) == []


@pytest.mark.parametrize(
    ("name", "expressions"),
    [
        ("the description", ["Appointment.description"]),
        ("the start and end", ["Appointment.start"]),
        ("the patient participant", ["Appointment.participant"]),
    ],
)
def test_cancel_change(name: str, expressions: list[str]) -> None:
    current = stored()
    problems = cancel_problems(current, cancellation(current, cancel_change(current, name)))
    assert [issue.expression for issue in problems] == expressions
    assert all(issue.is_error for issue in problems)


def test_every_cancel_change_is_tested() -> None:
    assert set(CANCEL_CHANGES) == {"the description", "the start and end", "the patient participant"}


def test_unknown_cancel_change() -> None:
    with pytest.raises(UnknownDefect) as raised:
        cancel_change(stored(), "the status")
    assert all(name in unknown_message(raised) for name in CANCEL_CHANGES)
    assert isinstance(raised.value, KeyError)


def test_exp_before_iat_is_only_that_neither_expired_nor_issued_ahead_beyond_clock_skew() -> None:
    """Observed: the token was simply expired, so a provider checking expiry alone passed the scenario."""
    value = token_defect(client(), Interaction.READ_METADATA, "a token whose exp is before its iat").headers[
        "Authorization"
    ]
    assert value is not None
    found = inspect_appointments_token(
        value, audience=client().base_url, interaction=Interaction.READ_METADATA, now=int(time.time()), leeway_s=30
    )
    assert [(f.expected, f.actual.split(" = ")[0]) for f in found] == [("exp = iat + 300", "exp - iat")]
    claims = decode_unverified(bearer_token(value)).claims
    assert claims["iat"] > claims["exp"] > time.time()
