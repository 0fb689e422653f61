"""read:metadata through the SSP, and the demonstrator's start-up and shutdown."""

from __future__ import annotations

import socket
import threading

from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.http import ExchangeLog, HarnessHttp
from spine_conformance.interactions import Interaction


def test_metadata_is_an_stu3_capability_statement_in_fhir_json(client: ProviderClient) -> None:
    response = client.send(Interaction.READ_METADATA, "metadata")

    assert response.status == 200
    assert response.media_type == "application/fhir+json"
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "3.0.1"


def test_metadata_declares_every_appointment_interaction(client: ProviderClient) -> None:
    body = client.send(Interaction.READ_METADATA, "metadata").json()

    resources = {resource["type"]: resource for resource in body["rest"][0]["resource"]}
    assert {i["code"] for i in resources["Slot"]["interaction"]} == {"search-type"}
    assert {i["code"] for i in resources["Appointment"]["interaction"]} >= {"read", "vread", "create", "update"}


def test_metadata_is_also_served_directly_by_the_provider(client: ProviderClient) -> None:
    response = client.send(Interaction.READ_METADATA, "metadata", overrides=RequestOverrides(direct=True))

    assert response.status == 200
    assert response.json()["resourceType"] == "CapabilityStatement"


def _refuses_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_stop_leaves_no_thread_running_and_every_port_closed() -> None:
    threads_before = set(threading.enumerate())
    demo = Demonstrator().start()
    ports = [demo.servers[name].port for name in ("provider", "ssp", "validator")]
    http = HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())
    try:
        assert ProviderClient(http, demo.config).send(Interaction.READ_METADATA, "metadata").status == 200
    finally:
        http.close()
        demo.stop()

    assert set(threading.enumerate()) - threads_before == set()
    assert all(_refuses_connections(port) for port in ports)
    assert not demo.workdir.exists()
