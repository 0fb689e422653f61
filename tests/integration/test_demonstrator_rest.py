"""The demonstrator's HTTP layer: JSON and XML, compression both ways, caching and CORS headers,
the return preference, refusals of bad verbs, paths and media types; and each REST-layer fault mode
visible at the HTTP level (the rest of the faults are in test_demonstrator_faults.py)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.fhir import outcome_problems
from spine_conformance.fhir.xml import json_to_xml, xml_to_json
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
XML = "application/fhir+xml"
DIRECT = RequestOverrides(direct=True)
NEGOTIATION_A = ("accept-ignored", "xml-wrong-media-type", "no-charset")
NEGOTIATION_B = ("format-parameter-ignored", "unsupported-format-served", "format-default-xml")
XML_OFF = ("xml-not-served", "metadata-sparse")
REFUSALS_OFF = ("wrong-verb-served", "unknown-path-500", "put-unknown-500", "any-content-type")
HEADERS_OFF = (
    "no-date-header",
    "cancel-no-location",
    "create-no-last-modified",
    "prefer-ignored",
    "cache-control-missing",
    "cors-preflight-refused",
    "gzip-responses-off",
    "gzip-requests-refused",
)
# Read by test_demonstrator_faults.py: every fault is exercised by one module or the other.
REST_LAYER_FAULTS = frozenset(NEGOTIATION_A + NEGOTIATION_B + XML_OFF + REFUSALS_OFF + HEADERS_OFF)


def metadata(
    client: ProviderClient, headers: dict[str, str | None], params: tuple[tuple[str, str], ...] = ()
) -> HttpResponse:
    overrides = RequestOverrides(headers)
    return client.send(Interaction.READ_METADATA, "metadata", params=list(params), overrides=overrides)


# -- the clean demonstrator ---------------------------------------------------------------------------
def test_metadata_in_xml_by_accept_and_by_format_which_wins(client: ProviderClient) -> None:
    by_accept = metadata(client, {"Accept": XML})
    assert by_accept.headers["content-type"] == f"{XML}; charset=utf-8"
    assert xml_to_json(by_accept.body)["resourceType"] == "CapabilityStatement"
    by_format = metadata(client, {"Accept": XML}, (("_format", "json"),))
    assert json.loads(by_format.body)["resourceType"] == "CapabilityStatement"
    assert metadata(client, {"Accept": None}).media_type == "application/fhir+json"  # nothing named: JSON


def test_capability_statement_declares_both_formats_and_cors(client: ProviderClient) -> None:
    statement = metadata(client, {}).json()
    assert statement["format"] == ["application/fhir+json", XML]
    assert statement["rest"][0]["security"]["cors"] is True


def test_an_xml_booking_is_answered_in_xml(
    client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    body = json_to_xml(booking_for(free_slot))
    headers: dict[str, str | None] = {"Content-Type": XML, "Accept": None}
    response = client.send(
        Interaction.CREATE_APPOINTMENT, "Appointment", body=body, overrides=RequestOverrides(headers)
    )
    assert response.status == 201, response.body[:300]
    assert response.media_type == XML
    assert xml_to_json(response.body)["status"] == "booked"


def test_gzip_both_ways_through_the_ssp(
    client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    response = client.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=gzip.compress(json.dumps(booking_for(free_slot)).encode()),
        extra_headers={"Content-Encoding": "gzip", "Accept-Encoding": "gzip"},
    )
    assert response.status == 201, response.body[:300]
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["resourceType"] == "Appointment"


def test_a_gzip_bomb_is_refused_not_inflated(client: ProviderClient) -> None:
    bomb = gzip.compress(b" " * (4 * 1024 * 1024))
    response = client.send(
        Interaction.CREATE_APPOINTMENT, "Appointment", body=bomb, extra_headers={"Content-Encoding": "gzip"}
    )
    assert response.status == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml"])
def test_a_body_that_is_not_fhir_content_is_415(
    client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json], content_type: str
) -> None:
    overrides = RequestOverrides({"Content-Type": content_type}, direct=True)
    response = client.send(
        Interaction.CREATE_APPOINTMENT, "Appointment", body=booking_for(free_slot), overrides=overrides
    )
    assert response.status == 415
    assert outcome_problems(response.json()) == []


@pytest.mark.parametrize(("method", "path", "status"), [("POST", "metadata", 405), ("GET", "slot", 404)])
def test_wrong_verbs_and_paths_are_refused(client: ProviderClient, method: str, path: str, status: int) -> None:
    response = client.send(Interaction.READ_METADATA, path, method=method, body=b"{}", overrides=DIRECT)
    assert response.status == status
    assert outcome_problems(response.json()) == []


def test_every_answer_says_no_store_and_a_preflight_is_answered(
    client: ProviderClient, harness_http: HarnessHttp
) -> None:
    assert metadata(client, {}).headers["cache-control"] == "no-store"
    assert client.send(Interaction.READ_APPOINTMENT, "Appointment/unknown").headers["cache-control"] == "no-store"
    preflight = harness_http.send(
        "OPTIONS",
        client.url_for("Appointment"),
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"


def test_prefer_return_minimal_leaves_the_body_out(
    client: ProviderClient, free_slot: Json, booking_for: Callable[[Json], Json]
) -> None:
    response = client.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=booking_for(free_slot),
        extra_headers={"Prefer": "return=minimal"},
    )
    assert (response.status, response.body) == (201, b"")
    assert "/Appointment/" in response.headers["location"]


# -- each REST-layer fault, visible ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def faulty() -> Iterator[Callable[[tuple[str, ...]], tuple[Demonstrator, ProviderClient, HarnessHttp]]]:
    running: dict[tuple[str, ...], tuple[Demonstrator, ProviderClient, HarnessHttp]] = {}

    def get(faults: tuple[str, ...]) -> tuple[Demonstrator, ProviderClient, HarnessHttp]:
        if faults not in running:
            demo = Demonstrator(faults=faults).start()
            http = HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())
            running[faults] = (demo, ProviderClient(http, demo.config), http)
        return running[faults]

    yield get
    for demo, _, http in running.values():
        http.close()
        demo.stop()


def _booking(demo: Demonstrator, booking_for: Callable[[Json], Json]) -> Json:
    slot = demo.store.slots("918999198999", ["free"], None, None)[0].resource
    return booking_for(slot)


def test_negotiation_faults_a(faulty: Callable[..., Any]) -> None:
    _, client, _ = faulty(NEGOTIATION_A)
    assert metadata(client, {"Accept": XML}).media_type == "application/fhir+json"  # accept-ignored
    by_format = metadata(client, {}, (("_format", "xml"),))
    assert by_format.headers["content-type"] == "application/xml"  # xml-wrong-media-type, no-charset


def test_negotiation_faults_b(faulty: Callable[..., Any]) -> None:
    _, client, _ = faulty(NEGOTIATION_B)
    assert metadata(client, {"Accept": "application/fhir+json"}, (("_format", "xml"),)).media_type.endswith("json")
    assert metadata(client, {"Accept": "text/turtle"}).status == 200  # unsupported-format-served
    assert metadata(client, {"Accept": None}).media_type == XML  # format-default-xml


def test_xml_off_and_sparse_metadata(faulty: Callable[..., Any]) -> None:
    _, client, _ = faulty(XML_OFF)
    answer = metadata(client, {"Accept": XML})
    assert answer.media_type == "application/fhir+json"
    assert answer.json()["format"] == ["application/fhir+json"]
    assert "publisher" not in answer.json()


def test_refusals_off(faulty: Callable[..., Any], booking_for: Callable[[Json], Json]) -> None:
    demo, client, _ = faulty(REFUSALS_OFF)
    assert client.send(Interaction.READ_METADATA, "metadata", method="POST", body=b"{}", overrides=DIRECT).status == 200
    assert client.send(Interaction.READ_METADATA, "NoSuchResource", overrides=DIRECT).status == 500
    unknown = {**_booking(demo, booking_for), "id": "never-issued", "status": "cancelled"}
    put = client.send(
        Interaction.UPDATE_APPOINTMENT, "Appointment/never-issued", body=unknown, extra_headers={"If-Match": 'W/"1"'}
    )
    assert put.status == 500
    plain = RequestOverrides({"Content-Type": "text/plain"}, direct=True)
    booked = client.send(
        Interaction.CREATE_APPOINTMENT, "Appointment", body=_booking(demo, booking_for), overrides=plain
    )
    assert booked.status == 201


def test_headers_off(faulty: Callable[..., Any], booking_for: Callable[[Json], Json]) -> None:
    demo, client, http = faulty(HEADERS_OFF)
    answer = client.send(
        Interaction.READ_METADATA, "metadata", extra_headers={"Accept-Encoding": "gzip"}, overrides=DIRECT
    )
    assert "date" not in answer.headers and "cache-control" not in answer.headers
    assert "content-encoding" not in answer.headers
    created = client.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=_booking(demo, booking_for),
        extra_headers={"Prefer": "return=minimal"},
    )
    assert created.status == 201 and created.body and "last-modified" not in created.headers
    appointment = created.json()
    cancelled = client.send(
        Interaction.UPDATE_APPOINTMENT,
        f"Appointment/{appointment['id']}",
        body={**appointment, "status": "cancelled"},
        extra_headers={"If-Match": 'W/"1"'},
    )
    assert cancelled.status == 200 and "location" not in cancelled.headers
    zipped = client.send(
        Interaction.CREATE_APPOINTMENT,
        "Appointment",
        body=gzip.compress(json.dumps(_booking(demo, booking_for)).encode()),
        extra_headers={"Content-Encoding": "gzip"},
    )
    assert zipped.status == 415
    preflight = http.send(
        "OPTIONS",
        client.url_for("Appointment"),
        headers={"Origin": "https://a", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 405
