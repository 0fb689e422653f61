"""The SSP stand-in's own answers (digest A2): 400, 403, 405, 415, 502 and 504 as OperationOutcomes."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.config.model import TargetConfig
from spine_conformance.demonstrator.embedded import PROVIDER_ASID, Demonstrator
from spine_conformance.demonstrator.provider.app import BASE_PATH
from spine_conformance.demonstrator.servers import READINESS_PATH, BackgroundServers
from spine_conformance.demonstrator.ssp_proxy import SspApp, SspSettings
from spine_conformance.http import HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
METADATA = Interaction.READ_METADATA


def issue_code(body: Json) -> str:
    code: str = body["issue"][0]["code"]
    return code


def test_a_verb_the_ssp_does_not_forward_is_a_405(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    headers = client.standard_headers(Interaction.READ_APPOINTMENT, has_body=False)

    response = client.http.send("DELETE", client.url_for("Appointment/some-id"), headers=headers)

    assert issue_code(expect_error(response, 405)) == "not-supported"


def test_a_post_that_is_not_json_is_a_415_from_the_ssp(
    client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    headers = client.standard_headers(Interaction.CREATE_APPOINTMENT, has_body=True) | {"Content-Type": "text/plain"}

    response = client.http.send("POST", client.url_for("Appointment"), headers=headers, content=b"hello")

    assert issue_code(expect_error(response, 415)) == "not-supported"


def test_a_provider_url_that_is_not_registered_is_a_403(
    demo: Demonstrator, client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    unregistered = f"{demo.ssp_url}https://unregistered.example/STU3/1/metadata"

    response = client.http.send("GET", unregistered, headers=client.standard_headers(METADATA, has_body=False))

    assert issue_code(expect_error(response, 403)) == "forbidden"


def test_a_url_joined_with_two_slashes_is_a_400(
    demo: Demonstrator, client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json]
) -> None:
    doubled = f"{demo.ssp_url}/{demo.provider_base_url}/metadata"

    response = client.http.send("GET", doubled, headers=client.standard_headers(METADATA, has_body=False))

    expect_error(response, 400)


@pytest.mark.parametrize(
    "carried",
    ["", "ftp://provider.example/STU3/1/metadata", "https:/provider.example/metadata", "https://[::1/STU3/1/metadata"],
)
def test_a_path_that_does_not_carry_an_absolute_provider_url_is_a_400(
    demo: Demonstrator, client: ProviderClient, expect_error: Callable[[HttpResponse, int], Json], carried: str
) -> None:
    response = client.http.send("GET", demo.ssp_url + carried, headers=client.standard_headers(METADATA, False))

    expect_error(response, 400)


def test_the_ssp_forwards_the_providers_answer_unchanged(demo: Demonstrator, client: ProviderClient) -> None:
    via_ssp = client.send(METADATA, "metadata")

    assert via_ssp.url.startswith(demo.ssp_url + demo.provider_base_url)
    assert via_ssp.status == 200
    assert via_ssp.media_type == "application/fhir+json"
    assert via_ssp.json()["implementation"]["url"] == demo.provider_base_url


# -- a provider that is down or too slow ------------------------------------------------------------
class EdgeProviders:
    """A second SSP stand-in (0.2 s downstream timeout) fronting a provider that never answers
    and a registered provider URL on a port nobody listens on."""

    DOWNSTREAM_TIMEOUT_S = 0.2

    def __init__(self, demo: Demonstrator) -> None:
        self.servers = BackgroundServers()
        cert = demo.certificates.server
        slow = self.servers.add("slow-provider", _never_answering_app(), cert)
        self.slow_base = slow.origin + BASE_PATH
        self.down_base = f"https://127.0.0.1:{_closed_port()}{BASE_PATH}"
        endpoints = {self.slow_base: PROVIDER_ASID, self.down_base: PROVIDER_ASID}
        self.ssp = SspApp(
            SspSettings(
                trust=demo.certificates.client_context(),
                endpoints=endpoints,
                downstream_timeout_s=self.DOWNSTREAM_TIMEOUT_S,
            )
        )
        self.ssp_url = self.servers.add("edge-ssp", self.ssp.app, cert).origin + "/"
        self.servers.on_stop(self.ssp.close)

    def target(self, demo: Demonstrator, provider_base_url: str) -> TargetConfig:
        config = demo.config
        return replace(config, provider=replace(config.provider, base_url=provider_base_url, ssp_url=self.ssp_url))


def _never_answering_app() -> Starlette:
    """Answers the readiness probe; every FHIR request waits until its caller hangs up."""

    async def ready(request: Request) -> Response:
        return PlainTextResponse("ready")

    async def hang(request: Request) -> Response:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        return Response(status_code=204)

    return Starlette(routes=[Route(READINESS_PATH, ready), Route(BASE_PATH + "/{path:path}", hang)])


def _closed_port() -> int:
    """A loopback port that was free a moment ago and has nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def edge(demo: Demonstrator) -> Iterator[EdgeProviders]:
    edge = EdgeProviders(demo)
    edge.servers.start()
    yield edge
    edge.servers.stop()


def edge_client(demo: Demonstrator, edge: EdgeProviders, http: HarnessHttp, provider_base_url: str) -> ProviderClient:
    return ProviderClient(http, edge.target(demo, provider_base_url))


def test_a_provider_that_is_down_is_a_502(
    demo: Demonstrator,
    edge: EdgeProviders,
    harness_http: HarnessHttp,
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    client = edge_client(demo, edge, harness_http, edge.down_base)

    assert issue_code(expect_error(client.send(METADATA, "metadata"), 502)) == "transient"


def test_a_provider_slower_than_the_ssp_timeout_is_a_504(
    demo: Demonstrator,
    edge: EdgeProviders,
    harness_http: HarnessHttp,
    expect_error: Callable[[HttpResponse, int], Json],
) -> None:
    client = edge_client(demo, edge, harness_http, edge.slow_base)

    assert issue_code(expect_error(client.send(METADATA, "metadata"), 504)) == "transient"
