"""BookingLedger: clean-up cancels what a scenario booked, with If-Match from the ETag, and never raises."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
import pytest

from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.http import Exchange, HttpResponse, TargetUnreachable
from spine_conformance.interactions import Interaction

Json = dict[str, Any]
BASE = "https://p.example/STU3/1"


def appointment(appointment_id: str, status: str = "booked", version: str = "3") -> Json:
    return {
        "resourceType": "Appointment",
        "id": appointment_id,
        "meta": {"versionId": version},
        "status": status,
        "description": "booked by the suite",
    }


def response(status: int, body: Json | bytes = b"", etag: str | None = None) -> HttpResponse:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = httpx.Headers({"ETag": etag} if etag is not None else {})
    exchange = Exchange("fake", "GET", BASE, [], b"", 0.0, status=status, response_body=raw)
    return HttpResponse(status, headers, raw, BASE, exchange)


@dataclass
class Call:
    interaction: Interaction
    relative: str
    body: Any
    extra_headers: Mapping[str, str] | None
    label: str


Answer = HttpResponse | Exception


@dataclass
class FakeProvider:
    """ProviderClient.send's shape; answers from ``reads``/``updates`` keyed by appointment id."""

    reads: dict[str, Answer] = field(default_factory=dict)
    updates: dict[str, Answer] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def send(
        self,
        interaction: Interaction,
        relative: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        overrides: Any = None,
        label: str = "",
    ) -> HttpResponse:
        self.calls.append(Call(interaction, relative, body, extra_headers, label))
        appointment_id = relative.removeprefix("Appointment/")
        table = self.reads if interaction is Interaction.READ_APPOINTMENT else self.updates
        answer = table.get(appointment_id, response(200, appointment(appointment_id, "cancelled", "4")))
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def cancels(self) -> list[Call]:
        return [call for call in self.calls if call.interaction is Interaction.UPDATE_APPOINTMENT]


def ledger(*ids: str) -> BookingLedger:
    booked = BookingLedger()
    for appointment_id in ids:
        booked.record(appointment_id)
    return booked


def cancel_all(booked: BookingLedger, provider: FakeProvider) -> list[str]:
    return booked.cancel_all(cast(ProviderClient, provider))


def test_record_keeps_each_id_once_in_order() -> None:
    assert ledger("a1", "a2", "a1", "a3", "a2").ids == ["a1", "a2", "a3"]


def test_nothing_recorded_sends_nothing() -> None:
    provider = FakeProvider()
    assert cancel_all(BookingLedger(), provider) == []
    assert provider.calls == []


def test_booked_appointment_is_cancelled_with_if_match_from_the_etag() -> None:
    provider = FakeProvider(reads={"a1": response(200, appointment("a1"), etag='W/"3"')})
    assert cancel_all(ledger("a1"), provider) == []

    read, cancel = provider.calls
    assert (read.interaction, read.relative) == (Interaction.READ_APPOINTMENT, "Appointment/a1")
    assert (cancel.interaction, cancel.relative) == (Interaction.UPDATE_APPOINTMENT, "Appointment/a1")
    assert cancel.extra_headers == {"If-Match": 'W/"3"'}
    assert cancel.body == {**appointment("a1"), "status": "cancelled"}  # only the status changes


def test_etag_header_is_used_as_sent() -> None:
    provider = FakeProvider(reads={"a1": response(200, appointment("a1", version="3"), etag='W/"server-tag"')})
    cancel_all(ledger("a1"), provider)
    assert [call.extra_headers for call in provider.cancels] == [{"If-Match": 'W/"server-tag"'}]


def test_without_an_etag_the_if_match_comes_from_the_version_id() -> None:
    provider = FakeProvider(reads={"a1": response(200, appointment("a1", version="7"))})
    assert cancel_all(ledger("a1"), provider) == []
    assert [call.extra_headers for call in provider.cancels] == [{"If-Match": 'W/"7"'}]


def test_already_cancelled_is_skipped() -> None:
    provider = FakeProvider(reads={"a1": response(200, appointment("a1", "cancelled"), etag='W/"4"')})
    assert cancel_all(ledger("a1"), provider) == []
    assert provider.cancels == []


@pytest.mark.parametrize("status", [404, 410, 500])
def test_unreadable_is_skipped(status: int) -> None:
    provider = FakeProvider(reads={"a1": response(status, b'{"resourceType": "OperationOutcome"}')})
    assert cancel_all(ledger("a1"), provider) == []
    assert provider.cancels == []


@pytest.mark.parametrize("status", [409, 412, 422, 500])
def test_refused_cancel_is_reported(status: int) -> None:
    provider = FakeProvider(
        reads={"a1": response(200, appointment("a1"), etag='W/"3"')},
        updates={"a1": response(status, b"{}")},
    )
    assert cancel_all(ledger("a1"), provider) == ["a1"]


@pytest.mark.parametrize(
    ("reads", "updates"),
    [
        ({"a1": TargetUnreachable("refused")}, {}),
        ({"a1": response(200, appointment("a1"))}, {"a1": TargetUnreachable("timed out")}),
        ({"a1": response(200, b"<html>not json</html>")}, {}),
        ({"a1": response(200, b'["not", "an", "object"]')}, {}),
        ({"a1": response(200, b'{"status": "booked", "meta": null}')}, {}),
        ({"a1": RuntimeError("anything at all")}, {}),
    ],
    ids=["read-unreachable", "cancel-unreachable", "read-not-json", "read-a-list", "meta-null", "any-error"],
)
def test_failures_are_reported_never_raised(reads: dict[str, Answer], updates: dict[str, Answer]) -> None:
    assert cancel_all(ledger("a1"), FakeProvider(reads=reads, updates=updates)) == ["a1"]


def test_one_failure_does_not_stop_the_others() -> None:
    provider = FakeProvider(
        reads={
            "a1": TargetUnreachable("reset"),
            "a2": response(200, appointment("a2"), etag='W/"1"'),
            "a3": response(200, appointment("a3", "cancelled")),
            "a4": response(404),
            "a5": response(200, appointment("a5"), etag='W/"2"'),
        },
        updates={"a5": response(409, b"{}")},
    )
    assert cancel_all(ledger("a1", "a2", "a3", "a4", "a5"), provider) == ["a1", "a5"]
    assert [(call.relative, call.extra_headers) for call in provider.cancels] == [
        ("Appointment/a2", {"If-Match": 'W/"1"'}),
        ("Appointment/a5", {"If-Match": 'W/"2"'}),
    ]
    assert {call.label for call in provider.calls if call not in provider.cancels} == {"clean-up read"}
    assert {call.label for call in provider.cancels} == {"clean-up cancel"}
