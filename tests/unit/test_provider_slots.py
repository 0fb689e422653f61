"""search:slot query parsing in the demonstrator: the seed-era query works, anything else is a 400."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spine_conformance.demonstrator.provider.capability import SLOT_INCLUDES
from spine_conformance.demonstrator.provider.http import HttpError
from spine_conformance.demonstrator.provider.slots import (
    SERVICE_PARAMETER,
    SlotQuery,
    parse_search_instant,
    parse_slot_query,
)
from spine_conformance.fhir import INVALID_PARAMETER

Query = list[tuple[str, str]]
SERVICE = "918999198999"
FROM = "2026-01-02T09:00:00+00:00"
TO = "2026-01-09T17:00:00+00:00"


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def seed_query() -> Query:
    """The query of the published search_free_slots page (digest A3), with every _include."""
    return [
        (SERVICE_PARAMETER, SERVICE),
        ("status", "free"),
        ("start", f"ge{FROM}"),
        ("start", f"le{TO}"),
        ("_format", "json"),
        *[("_include", include) for include in SLOT_INCLUDES],
    ]


def replace(query: Query, name: str, *values: str) -> Query:
    return [(n, v) for n, v in query if n != name] + [(name, value) for value in values]


def refused(query: Query) -> HttpError:
    with pytest.raises(HttpError) as raised:
        parse_slot_query(query)
    assert raised.value.status == 400
    assert raised.value.spine_code == INVALID_PARAMETER
    assert raised.value.diagnostics
    return raised.value


def test_seed_query_is_accepted() -> None:
    assert parse_slot_query(seed_query()) == SlotQuery(
        service_id=SERVICE,
        statuses=("free",),
        start_from=epoch(FROM),
        start_to=epoch(TO),
        includes=SLOT_INCLUDES,
    )


def test_seed_query_with_spaces_for_plus_is_accepted() -> None:
    """An unencoded '+' arrives as a space once the query string is decoded."""
    query = replace(seed_query(), "start", f"ge{FROM.replace('+', ' ')}", f"le{TO.replace('+', ' ')}")
    parsed = parse_slot_query(query)
    assert (parsed.start_from, parsed.start_to) == (epoch(FROM), epoch(TO))


def test_minimal_query_defaults_to_free_slots_without_a_window() -> None:
    assert parse_slot_query([(SERVICE_PARAMETER, SERVICE)]) == SlotQuery(SERVICE, ("free",), None, None, ())


@pytest.mark.parametrize(
    ("status", "expected"),
    [("free", ("free",)), ("busy", ("busy",)), ("free,busy", ("free", "busy")), ("free, busy", ("free", "busy"))],
)
def test_status_free_or_busy(status: str, expected: tuple[str, ...]) -> None:
    assert parse_slot_query(replace(seed_query(), "status", status)).statuses == expected


@pytest.mark.parametrize(
    ("bounds", "start_from", "start_to"),
    [
        ((f"gt{FROM}",), epoch(FROM) + 1, None),
        ((f"lt{TO}",), None, epoch(TO) - 1),
        ((f"le{TO}", f"ge{FROM}"), epoch(FROM), epoch(TO)),
        ((f"ge{FROM}", f"le{FROM}"), epoch(FROM), epoch(FROM)),
        (("ge2026-01-02T10:00:00+01:00",), epoch(FROM), None),
        (("ge2026-01-02T09:00:00Z",), epoch(FROM), None),
    ],
)
def test_start_bounds(bounds: tuple[str, ...], start_from: int | None, start_to: int | None) -> None:
    parsed = parse_slot_query(replace(seed_query(), "start", *bounds))
    assert (parsed.start_from, parsed.start_to) == (start_from, start_to)


def test_repeated_includes_are_kept_once() -> None:
    query = [*seed_query(), ("_include", "Slot:schedule")]
    assert parse_slot_query(query).includes == SLOT_INCLUDES


@pytest.mark.parametrize("fmt", ["json", "application/json", "application/fhir+json"])
def test_json_formats_are_accepted(fmt: str) -> None:
    parse_slot_query(replace(seed_query(), "_format", fmt))


@pytest.mark.parametrize(
    "name",
    ["service", "_count", "schedule.actor:practitioner", "Status", "_include:iterate", "_revinclude"],
)
def test_unknown_parameter_is_refused(name: str) -> None:
    error = refused([*seed_query(), (name, "x")])
    assert name in error.diagnostics


@pytest.mark.parametrize(
    "service",
    [[], ["", ""], ["   "], [SERVICE, "118111118111"]],
    ids=["missing", "two-empty", "blank", "two"],
)
def test_exactly_one_service_is_required(service: list[str]) -> None:
    error = refused(replace(seed_query(), SERVICE_PARAMETER, *service))
    assert SERVICE_PARAMETER in error.diagnostics


@pytest.mark.parametrize(
    "status",
    ["booked", "free,booked", "FREE", "", "busy-unavailable", "free,"],
)
def test_status_other_than_free_or_busy_is_refused(status: str) -> None:
    refused(replace(seed_query(), "status", status))


def test_status_given_twice_is_refused() -> None:
    refused(replace(seed_query(), "status", "free", "busy"))


@pytest.mark.parametrize(
    "start",
    [
        "geyesterday",
        "ge2026-13-01T09:00:00+00:00",
        "ge2026-01-02T25:00:00+00:00",
        "ge",
        "ge+00:00",
        "2026-01-02T09:00:00+00:00",
        "eq2026-01-02T09:00:00+00:00",
        "ne2026-01-02T09:00:00+00:00",
    ],
)
def test_malformed_start_is_refused(start: str) -> None:
    refused(replace(seed_query(), "start", start))


@pytest.mark.parametrize("start", ["ge2026-01-02T09:00:00", "ge2026-01-02", "le2026-01-09T17:00"])
def test_start_without_an_offset_is_refused(start: str) -> None:
    error = refused(replace(seed_query(), "start", start))
    assert "offset" in error.diagnostics or "yyyy-mm-dd" in error.diagnostics


@pytest.mark.parametrize(
    "bounds",
    [
        (f"ge{FROM}", f"ge{TO}"),
        (f"le{FROM}", f"lt{TO}"),
        (f"ge{FROM}", f"le{TO}", f"le{TO}"),
    ],
    ids=["two-lower", "two-upper", "three"],
)
def test_start_needs_at_most_one_bound_each_way(bounds: tuple[str, ...]) -> None:
    refused(replace(seed_query(), "start", *bounds))


@pytest.mark.parametrize(
    "bounds",
    [(f"ge{TO}", f"le{FROM}"), (f"gt{FROM}", f"le{FROM}"), (f"ge{FROM}", f"lt{FROM}")],
)
def test_window_ending_before_it_begins_is_refused(bounds: tuple[str, str]) -> None:
    error = refused(replace(seed_query(), "start", *bounds))
    assert "ends before it begins" in error.diagnostics


@pytest.mark.parametrize(
    "include",
    ["Slot:practitioner", "Schedule:actor:Patient", "slot:schedule", "*", "HealthcareService:Organization"],
)
def test_unsupported_include_is_refused(include: str) -> None:
    error = refused([*seed_query(), ("_include", include)])
    assert include in error.diagnostics


@pytest.mark.parametrize("fmt", ["text/turtle", "html", "", "JSON"])
def test_bad_format_is_refused(fmt: str) -> None:
    refused(replace(seed_query(), "_format", fmt))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01T09:00:00 00:00", "2026-01-01T09:00:00+00:00"),
        ("2026-01-01T09:00:00+00:00", "2026-01-01T09:00:00+00:00"),
        ("2026-01-01T10:00:00 01:00", "2026-01-01T09:00:00+00:00"),
        ("2026-01-01T04:00:00-05:00", "2026-01-01T09:00:00+00:00"),
        ("2026-01-01T09:00:00Z", "2026-01-01T09:00:00+00:00"),
    ],
)
def test_parse_search_instant(text: str, expected: str) -> None:
    assert parse_search_instant(text) == epoch(expected)
    assert datetime.fromtimestamp(parse_search_instant(text), UTC).isoformat() == expected


@pytest.mark.parametrize("text", ["2026-01-01T09:00:00", "2026-01-01", "tomorrow", "", "2026-01-01T09:00:00 0"])
def test_parse_search_instant_refuses_what_is_not_an_instant(text: str) -> None:
    with pytest.raises(HttpError) as raised:
        parse_search_instant(text)
    assert raised.value.status == 400


@pytest.mark.parametrize(
    "text",
    [
        "2026-W01-1T09:00:00+00:00",
        "20260101T090000+0000",
        "2026-01-01T09:00:00+00:00:30",
        "2026-01-01T09:00:00\x00+00:00",
    ],
    ids=["iso-week-date", "basic-format", "offset-with-seconds", "embedded-nul"],
)
def test_parse_search_instant_refuses_non_fhir_instants(text: str) -> None:
    with pytest.raises(HttpError):
        parse_search_instant(text)
