"""The Ssp-* headers and the bearer JWT, checked by the SSP stand-in and by the provider.

SSP-HDR-01..05 and JWT-08: a missing or malformed header is a 400 MISSING_OR_INVALID_HEADER from
whoever sees it first; a well-formed header that names the wrong interaction or provider is the
SSP refusing to route (403) and, sent straight to the provider, a 400; token errors are
``spec.token_error_status`` (403) from the provider, whichever way the request came.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.fhir import MISSING_OR_INVALID_HEADER
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction
from spine_conformance.tokens import appointments_claims, bearer, encode_unsigned

Json = dict[str, Any]
ROUTES = pytest.mark.parametrize("direct", [False, True], ids=["via-ssp", "direct"])
SLOT_QUERY = [("schedule.actor:healthcareservice", "918999198999"), ("status", "free")]


def spine_code(body: Json) -> str:
    code: str = body["issue"][0]["details"]["coding"][0]["code"]
    return code


def search_slots(client: ProviderClient, headers: dict[str, str | None], direct: bool = False) -> HttpResponse:
    overrides = RequestOverrides(headers=headers, direct=direct)
    return client.send(Interaction.SEARCH_SLOT, "Slot", params=SLOT_QUERY, overrides=overrides)


def token_with(client: ProviderClient, **changes: Any) -> str:
    """A bearer value for search:slot whose claims differ from a conformant token by ``changes``."""
    claims = appointments_claims(client.target.consumer, client.base_url, Interaction.SEARCH_SLOT)
    claims.update(changes)
    return bearer(encode_unsigned(claims))


@ROUTES
def test_a_conformant_request_is_answered(client: ProviderClient, direct: bool) -> None:
    assert search_slots(client, {}, direct).status == 200


@ROUTES
@pytest.mark.parametrize("header", ["Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID"])
def test_a_missing_ssp_header_is_a_400_missing_or_invalid_header(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], header: str, direct: bool
) -> None:
    body = expect_error(search_slots(client, {header: None}, direct), 400)

    assert spine_code(body) == MISSING_OR_INVALID_HEADER


@ROUTES
@pytest.mark.parametrize(
    ("header", "value"),
    [("Ssp-TraceID", "not-a-uuid"), ("Ssp-From", "ABC"), ("Ssp-To", "12345")],
)
def test_a_malformed_ssp_header_is_a_400_missing_or_invalid_header(
    client: ProviderClient,
    expect_error: Callable[[HttpResponse, int], Json],
    header: str,
    value: str,
    direct: bool,
) -> None:
    body = expect_error(search_slots(client, {header: value}, direct), 400)

    assert spine_code(body) == MISSING_OR_INVALID_HEADER


def test_ssp_header_names_are_case_insensitive(client: ProviderClient) -> None:
    headers = client.identity.headers(Interaction.SEARCH_SLOT)
    lowered: dict[str, str | None] = {name: None for name in headers}
    lowered.update({name.lower(): value for name, value in headers.items()})

    assert search_slots(client, lowered).status == 200


@pytest.mark.parametrize(("direct", "status"), [(False, 403), (True, 400)], ids=["via-ssp", "direct"])
def test_an_interaction_id_that_does_not_fit_the_request_is_refused(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], direct: bool, status: int
) -> None:
    other = Interaction.READ_APPOINTMENT.interaction_id()

    expect_error(search_slots(client, {"Ssp-InteractionID": other}, direct), status)


@pytest.mark.parametrize(("direct", "status"), [(False, 403), (True, 400)], ids=["via-ssp", "direct"])
def test_an_ssp_to_that_is_not_the_providers_asid_is_refused(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], direct: bool, status: int
) -> None:
    expect_error(search_slots(client, {"Ssp-To": "999999999999"}, direct), status)


@ROUTES
def test_a_request_without_a_token_is_refused(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], direct: bool
) -> None:
    expect_error(search_slots(client, {"Authorization": None}, direct), 403)  # spec.token_error_status


def expired(client: ProviderClient) -> str:
    issued = int(time.time()) - 3600
    return token_with(client, iat=issued, exp=issued + 300)


def lives_ten_minutes(client: ProviderClient) -> str:
    issued = int(time.time())
    return token_with(client, iat=issued, exp=issued + 600)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(expired, id="expired"),
        pytest.param(lives_ten_minutes, id="exp-is-iat-plus-600"),
        pytest.param(lambda c: token_with(c, aud="https://elsewhere.example/STU3/1"), id="wrong-audience"),
        pytest.param(lambda c: token_with(c, reason_for_request="secondaryuses"), id="wrong-reason"),
        pytest.param(lambda c: token_with(c, requested_scope="patient/appointment.write"), id="wrong-scope"),
        pytest.param(lambda c: "Bearer not.a.jwt", id="malformed"),
        pytest.param(lambda c: "Basic dXNlcjpwYXNz", id="not-bearer"),
    ],
)
def test_a_nonconformant_token_is_refused(
    client: ProviderClient,
    expect_error: Callable[[HttpResponse, int], Json],
    authorization: Callable[[ProviderClient], str],
) -> None:
    expect_error(search_slots(client, {"Authorization": authorization(client)}), 403)


def test_a_token_without_a_practitioner_is_accepted(client: ProviderClient) -> None:
    claims = appointments_claims(
        client.target.consumer, client.base_url, Interaction.SEARCH_SLOT, include_practitioner=False
    )

    assert search_slots(client, {"Authorization": bearer(encode_unsigned(claims))}).status == 200


def test_a_declared_body_that_never_comes_is_refused_in_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Observed: connections that declare a body and send none stayed open for ever."""
    import socket
    import ssl

    from spine_conformance.demonstrator.embedded import Demonstrator
    from spine_conformance.demonstrator.provider import http as provider_http

    monkeypatch.setattr(provider_http, "BODY_DEADLINE_S", 0.5)
    with Demonstrator() as demonstrator:
        host, port = "127.0.0.1", int(demonstrator.provider_base_url.split(":")[2].split("/")[0])
        context = ssl.create_default_context(cafile=str(demonstrator.certificates.ca_path))
        with (
            socket.create_connection((host, port), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            tls.sendall(
                b"POST /STU3/1/Appointment HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\n"
                b"Content-Length: 100\r\n\r\n"
            )
            answer = tls.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
