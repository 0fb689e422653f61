"""The demonstrator answers a bounded hostile corpus without a single 5xx (and without a traceback)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import ExchangeLog, HarnessHttp
from spine_conformance.interactions import Interaction
from spine_conformance.tokens import bearer, mint_rtec_token

DEEP = (
    b'{"resourceType": "Appointment", "extension": ['
    + b'{"url": "http://x", "extension": [' * 150
    + b"{}"
    + b"]}" * 150
    + b"]}"
)
VERY_DEEP = b'{"resourceType": "Appointment", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
BODIES = {
    "deep nesting": DEEP,
    "very deep nesting": VERY_DEEP,
    "invalid JSON": b'{"resourceType": "Appointment",',
    "not UTF-8": b"\xff\xfe\x00{",
    "a JSON array": b"[1, 2, 3]",
    "NaN": b'{"resourceType": "Appointment", "x": NaN}',
    "no body": b"",
}
PATHS = ["../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "Appointment/..%2F..%2Fmetadata", "Appointment/" + "a" * 5000]
METHODS = ["DELETE", "PATCH", "OPTIONS", "TRACE", "PUT", "POST"]


@pytest.fixture(scope="module")
def demonstrator() -> Iterator[Demonstrator]:
    with Demonstrator() as running:
        yield running


@pytest.fixture(scope="module")
def client(demonstrator: Demonstrator) -> Iterator[ProviderClient]:
    config = demonstrator.direct_config()
    http = HarnessHttp(config.tls, config.http, ExchangeLog())
    yield ProviderClient(http, config)
    http.close()


def no_5xx(response: httpx.Response | object, what: str) -> None:
    status = getattr(response, "status", None) or getattr(response, "status_code", 0)
    assert status < 500, f"{what}: HTTP {status}"


@pytest.mark.parametrize("name", BODIES)
def test_hostile_bookings_and_updates(client: ProviderClient, name: str) -> None:
    body = BODIES[name]
    no_5xx(client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=body), f"POST {name}")
    headers = {"If-Match": 'W/"1"'}
    no_5xx(client.send(Interaction.UPDATE_APPOINTMENT, "Appointment/a1", body=body, extra_headers=headers), name)


@pytest.mark.parametrize("name", BODIES)
def test_hostile_validate_and_rtec_bodies(demonstrator: Demonstrator, name: str) -> None:
    verify = demonstrator.certificates.client_context()
    with httpx.Client(verify=verify, timeout=10) as http:
        url = f"{demonstrator.validate_base_url}/Appointment/$validate"
        no_5xx(http.post(url, content=BODIES[name], headers={"Content-Type": "application/fhir+json"}), name)
        token = bearer(mint_rtec_token(demonstrator.config.consumer, demonstrator.rtec_url))
        headers = {"Content-Type": "application/json", "Authorization": token}
        no_5xx(http.post(demonstrator.rtec_url, content=BODIES[name], headers=headers), f"RTEC {name}")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", *METHODS])
def test_traversal_paths_and_wrong_methods(
    demonstrator: Demonstrator, client: ProviderClient, path: str, method: str
) -> None:
    url = f"{client.base_url}/{path}"
    with httpx.Client(verify=demonstrator.certificates.client_context(), timeout=10) as http:
        no_5xx(http.request(method, url, headers=client.standard_headers(Interaction.READ_METADATA, False)), url)
        no_5xx(http.request(method, f"{demonstrator.ssp_url}{url}"), f"SSP {method} {path}")


@pytest.mark.parametrize("size", [8 * 1024, 64 * 1024, 512 * 1024])
def test_huge_headers(demonstrator: Demonstrator, client: ProviderClient, size: int) -> None:
    headers = {**client.standard_headers(Interaction.READ_METADATA, False), "X-Huge": "h" * size}
    with httpx.Client(verify=demonstrator.certificates.client_context(), timeout=10) as http:
        for url in (
            f"{client.base_url}/metadata",
            demonstrator.rtec_url,
            f"{demonstrator.ssp_url}{client.base_url}/metadata",
        ):
            try:
                response = http.get(url, headers=headers)
            except httpx.RemoteProtocolError:
                continue  # the server refused the header block by closing: no 5xx, nothing served
            no_5xx(response, f"{size} B header to {url}")


def test_the_corpus_left_no_defect_in_the_logs(caplog: pytest.LogCaptureFixture, client: ProviderClient) -> None:
    with caplog.at_level("ERROR"):
        client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=DEEP)
        client.send(
            Interaction.CREATE_APPOINTMENT, "Appointment", body=json.dumps({"resourceType": "Appointment"}).encode()
        )
    assert not [r for r in caplog.records if "defect" in r.getMessage()]
