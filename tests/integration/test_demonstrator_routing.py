"""Requests that are none of the six interactions, sent straight to the provider (ERR-01)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]


@pytest.mark.parametrize(
    ("method", "relative", "status"),
    [
        ("PATCH", "Appointment/some-id", 405),
        ("DELETE", "Appointment/some-id", 405),
        ("POST", "Slot", 405),
        ("GET", "Patient/some-id", 404),
        ("GET", "Appointment/some-id/_history", 404),
    ],
)
def test_a_request_that_is_no_interaction_is_refused_with_an_operation_outcome(
    client: ProviderClient,
    expect_error: Callable[[HttpResponse, int], Json],
    method: str,
    relative: str,
    status: int,
) -> None:
    headers = client.standard_headers(Interaction.READ_APPOINTMENT, has_body=False)

    response = client.http.send(method, client.url_for(relative, direct=True), headers=headers)

    expect_error(response, status)


def test_a_path_outside_the_fhir_base_is_a_404(
    demo: Demonstrator, client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    provider_origin = demo.provider_base_url.rsplit("/STU3/", 1)[0]
    headers = client.standard_headers(Interaction.READ_METADATA, has_body=False)

    expect_error(client.http.send("GET", f"{provider_origin}/DSTU2/metadata", headers=headers), 404)
