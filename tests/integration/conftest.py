"""Fixtures for the integration tests: one embedded demonstrator per session (per xdist worker).

Every request goes over real TLS (the run's own CA) through the SSP stand-in unless a test asks
for ``RequestOverrides(direct=True)``. Tests stay independent without resetting the store: each
booking takes the next free slot (``free_slot``); tests that need the seed data exactly ask for
``fresh_demo``, which resets the store first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.demonstrator.embedded import SERVICE_ID, Demonstrator
from spine_conformance.fhir import examples, outcome_problems
from spine_conformance.http import ExchangeLog, HarnessHttp, HttpResponse
from spine_conformance.interactions import Interaction

Json = dict[str, Any]


@pytest.fixture(scope="session")
def demo() -> Iterator[Demonstrator]:
    """The embedded demonstrator, started once for the session (once per xdist worker)."""
    with Demonstrator() as demonstrator:
        yield demonstrator


@pytest.fixture
def fresh_demo(demo: Demonstrator) -> Demonstrator:
    """The demonstrator reset to its seed data: every slot free, no appointments."""
    demo.reset()
    return demo


@pytest.fixture
def harness_http(demo: Demonstrator) -> Iterator[HarnessHttp]:
    """A harness HTTP client trusting the run CA; closed afterwards so the servers stop promptly."""
    http = HarnessHttp(demo.config.tls, demo.config.http, ExchangeLog())
    yield http
    http.close()


@pytest.fixture
def client(demo: Demonstrator, harness_http: HarnessHttp) -> ProviderClient:
    """A spec-conformant consumer calling the provider through the SSP stand-in."""
    return ProviderClient(harness_http, demo.config)


@pytest.fixture
def free_slot(demo: Demonstrator) -> Json:
    """The earliest slot of the demo service that is still free (a different one once booked)."""
    free = demo.store.slots(SERVICE_ID, ["free"], None, None)
    assert free, "the demonstrator has run out of free slots"
    return free[0].resource


@pytest.fixture
def booking_for() -> Callable[[Json], Json]:
    """Builds a valid Book request body (no id, status booked) for the given free Slot resource.

    The body is the canonical example: contained Patient ``#P1`` (NHS number 9434765919 with its
    verification-status extension) and DocumentReference ``#123``; the participant actor is
    ``#P1`` with the NHS number identifier.
    """

    def build(slot: Json) -> Json:
        appointment = examples.booking_appointment()  # a fresh copy each call
        appointment["slot"] = [{"reference": f"Slot/{slot['id']}"}]
        appointment["start"] = slot["start"]
        appointment["end"] = slot["end"]
        return appointment

    return build


@pytest.fixture
def book(client: ProviderClient, booking_for: Callable[[Json], Json]) -> Callable[[Json], HttpResponse]:
    """Books the given slot with a valid request and returns the (unchecked) response."""

    def send(slot: Json) -> HttpResponse:
        return client.send(Interaction.CREATE_APPOINTMENT, "Appointment", body=booking_for(slot))

    return send


@pytest.fixture
def booked(free_slot: Json, book: Callable[[Json], HttpResponse]) -> Json:
    """An appointment freshly booked in ``free_slot`` (version 1), as the provider returned it."""
    response = book(free_slot)
    assert response.status == 201, response.body[:500]
    created: Json = response.json()
    return created


@pytest.fixture
def expect_error() -> Callable[[HttpResponse, int], Json]:
    """Asserts a response has ``status`` and an error OperationOutcome body; returns the body."""

    def check(response: HttpResponse, status: int) -> Json:
        assert response.status == status, f"expected {status}, got {response.status}: {response.body[:500]!r}"
        assert response.media_type == "application/fhir+json"
        body: Json = response.json()
        assert outcome_problems(body) == []
        return body

    return check
