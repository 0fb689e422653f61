"""SSP URL concatenation (SSP-URL-01) and the four Ssp-* headers the harness sends."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from spine_conformance import ssp
from spine_conformance.interactions import (
    ALTERNATIVE_SLOT_INTERACTION,
    DEFAULT_SLOT_INTERACTION,
    INTERACTIONS,
    Interaction,
)
from spine_conformance.ssp import SspIdentity, is_asid, is_uuid, join_ssp_url, split_ssp_url

CONSUMER_ASID = "200000000359"
PROVIDER_ASID = "918999198993"


@pytest.mark.parametrize(
    ("ssp_url", "provider_url"),
    [
        ("https://ssp/", "https://p/STU3"),
        ("https://ssp", "https://p/STU3"),
        ("https://ssp//", "/https://p/STU3"),
        ("https://ssp", "/https://p/STU3"),
        ("https://ssp/", "//https://p/STU3"),
    ],
)
def test_join_ssp_url_uses_exactly_one_slash(ssp_url: str, provider_url: str) -> None:
    assert join_ssp_url(ssp_url, provider_url) == "https://ssp/https://p/STU3"


def test_join_ssp_url_keeps_a_path_on_the_ssp_url() -> None:
    assert join_ssp_url("https://proxy.example/ssp/", "https://p/STU3/1/Slot") == (
        "https://proxy.example/ssp/https://p/STU3/1/Slot"
    )


def test_join_ssp_url_without_ssp_returns_the_provider_url_unchanged() -> None:
    assert join_ssp_url("", "https://p/STU3/1/") == "https://p/STU3/1/"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/https://host:1/x", "https://host:1/x"),
        ("/https://provider.example/STU3/1/Appointment/a1", "https://provider.example/STU3/1/Appointment/a1"),
        ("/http://host/STU3/metadata", "http://host/STU3/metadata"),
    ],
)
def test_split_ssp_url_accepts_one_leading_slash(path: str, expected: str) -> None:
    assert split_ssp_url(path) == expected


@pytest.mark.parametrize(
    "path",
    [
        "",
        "//https://host/x",
        "https://host/x",
        "/ftp://host/x",
        "/not-a-url",
        "/https:/host/x",
        "/https://",
    ],
)
def test_split_ssp_url_rejects_malformed_concatenations(path: str) -> None:
    assert split_ssp_url(path) is None


def test_join_and_split_round_trip() -> None:
    provider = "https://provider.example/STU3/1/Slot"
    joined = join_ssp_url("https://ssp.example/", provider)
    assert split_ssp_url(joined.removeprefix("https://ssp.example")) == provider


def test_headers_are_the_four_ssp_headers() -> None:
    identity = SspIdentity(CONSUMER_ASID, PROVIDER_ASID)
    headers = identity.headers(Interaction.READ_APPOINTMENT)
    assert set(headers) == {"Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID"}
    assert set(headers) == set(ssp.SSP_HEADERS)
    assert headers["Ssp-From"] == CONSUMER_ASID
    assert headers["Ssp-To"] == PROVIDER_ASID
    assert headers["Ssp-InteractionID"] == "urn:nhs:names:services:careconnect:fhir:rest:read:appointment"


def test_headers_trace_id_is_a_fresh_uuid4_each_call() -> None:
    identity = SspIdentity(CONSUMER_ASID, PROVIDER_ASID)
    trace_ids = [identity.headers(Interaction.READ_METADATA)["Ssp-TraceID"] for _ in range(50)]
    assert len(set(trace_ids)) == len(trace_ids)
    for trace_id in trace_ids:
        assert uuid.UUID(trace_id).version == 4
        assert is_uuid(trace_id)


def test_headers_use_a_given_trace_id() -> None:
    identity = SspIdentity(CONSUMER_ASID, PROVIDER_ASID)
    given = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert identity.headers(Interaction.READ_METADATA, trace_id=given)["Ssp-TraceID"] == given


@pytest.mark.parametrize("interaction", list(Interaction))
def test_headers_name_each_interaction(interaction: Interaction) -> None:
    headers = SspIdentity(CONSUMER_ASID, PROVIDER_ASID).headers(interaction)
    assert headers["Ssp-InteractionID"] == INTERACTIONS[interaction].interaction_id


def test_headers_honour_the_configured_slot_interaction() -> None:
    default = SspIdentity(CONSUMER_ASID, PROVIDER_ASID)
    alternative = SspIdentity(CONSUMER_ASID, PROVIDER_ASID, slot_interaction=ALTERNATIVE_SLOT_INTERACTION)
    assert default.headers(Interaction.SEARCH_SLOT)["Ssp-InteractionID"] == DEFAULT_SLOT_INTERACTION
    assert alternative.headers(Interaction.SEARCH_SLOT)["Ssp-InteractionID"] == ALTERNATIVE_SLOT_INTERACTION
    # Only the slot search is affected by the choice.
    assert (
        alternative.headers(Interaction.CREATE_APPOINTMENT)["Ssp-InteractionID"]
        == default.headers(Interaction.CREATE_APPOINTMENT)["Ssp-InteractionID"]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6f1c7e0a-3b5d-4c2e-9a8f-1d2e3f4a5b6c", True),
        ("6F1C7E0A-3B5D-4C2E-9A8F-1D2E3F4A5B6C", True),
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("0f8fad5bd9cb469fa16570867728950e", False),
        ("{0f8fad5b-d9cb-469f-a165-70867728950e}", False),
        ("0f8fad5b-d9cb-469f-a165-70867728950", False),
        ("0f8fad5b-d9cb-469f-a165-70867728950g", False),
        ("", False),
        ("not-a-uuid", False),
    ],
)
def test_is_uuid(value: str, expected: bool) -> None:
    assert is_uuid(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("918999198993", True),
        ("000000000000", True),
        ("91899919899", False),
        ("9189991989931", False),
        ("91899919899a", False),
        (" 918999198993", False),
        ("", False),
    ],
)
def test_is_asid(value: str, expected: bool) -> None:
    assert is_asid(value) is expected


@pytest.mark.parametrize(
    ("validator", "value"),
    [(is_uuid, "0f8fad5b-d9cb-469f-a165-70867728950e\n"), (is_asid, "918999198993\n")],
    ids=["uuid", "asid"],
)
def test_validators_reject_a_trailing_newline(validator: Callable[[str], bool], value: str) -> None:
    assert validator(value) is False


def test_is_asid_rejects_non_ascii_digits() -> None:
    assert is_asid("٩١٨٩٩٩١٩٨٩٩٣") is False
