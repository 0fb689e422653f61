"""The Ssp-* header rules (SSP-HDR-01…04): one finding per broken rule, none when all are right."""

from __future__ import annotations

import httpx
import pytest

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.findings import Finding
from spine_conformance.interactions import (
    ALTERNATIVE_SLOT_INTERACTION,
    DEFAULT_SLOT_INTERACTION,
    INTERACTION_PREFIX,
    Interaction,
)

CONSUMER_ASID = "200000000359"
PROVIDER_ASID = "918999198993"
TRACE = "0f8fad5b-d9cb-469f-a165-70867728950e"
READ_ID = INTERACTION_PREFIX + "read:appointment"


def good_headers(**changes: str | None) -> dict[str, str]:
    headers = {
        "Ssp-TraceID": TRACE,
        "Ssp-From": CONSUMER_ASID,
        "Ssp-To": PROVIDER_ASID,
        "Ssp-InteractionID": READ_ID,
    }
    for name, value in changes.items():
        header = name.replace("_", "-")
        if value is None:
            del headers[header]
        else:
            headers[header] = value
    return headers


def findings(
    headers: dict[str, str] | httpx.Headers,
    interaction: Interaction | None = Interaction.READ_APPOINTMENT,
    **kw: str,
) -> list[Finding]:
    return ssp_header_findings(
        headers, interaction=interaction, expected_from=CONSUMER_ASID, expected_to=PROVIDER_ASID, **kw
    )


def requirements(found: list[Finding]) -> list[str]:
    return [f.requirement for f in found]


def test_all_good_headers_have_no_findings() -> None:
    assert findings(good_headers()) == []


def test_all_good_without_expected_asids() -> None:
    assert ssp_header_findings(good_headers(), interaction=Interaction.READ_APPOINTMENT) == []


@pytest.mark.parametrize(
    ("header", "requirement"),
    [
        ("Ssp-TraceID", "SSP-HDR-01"),
        ("Ssp-From", "SSP-HDR-02"),
        ("Ssp-To", "SSP-HDR-03"),
        ("Ssp-InteractionID", "SSP-HDR-04"),
    ],
)
def test_each_missing_header_is_one_finding(header: str, requirement: str) -> None:
    found = findings(good_headers(**{header: None}))
    assert requirements(found) == [requirement]
    assert found[0].actual == "(absent)"
    assert header in found[0].expected


@pytest.mark.parametrize(
    "trace_id",
    ["not-a-uuid", "0f8fad5bd9cb469fa16570867728950e", "", "0f8fad5b-d9cb-469f-a165-70867728950"],
)
def test_malformed_trace_id(trace_id: str) -> None:
    found = findings(good_headers(Ssp_TraceID=trace_id))
    assert requirements(found) == ["SSP-HDR-01"]
    assert "UUID" in found[0].expected


@pytest.mark.parametrize(
    ("header", "requirement"),
    [("Ssp-From", "SSP-HDR-02"), ("Ssp-To", "SSP-HDR-03")],
)
@pytest.mark.parametrize("value", ["20000000035", "2000000003590", "A00000000359", ""])
def test_asid_not_twelve_digits(header: str, requirement: str, value: str) -> None:
    found = findings(good_headers(**{header: value}))
    assert requirements(found) == [requirement]
    assert "12-digit" in found[0].expected


def test_ssp_from_other_than_the_consumer_asid() -> None:
    found = findings(good_headers(Ssp_From="999999999999"))
    assert requirements(found) == ["SSP-HDR-02"]
    assert CONSUMER_ASID in found[0].expected
    assert found[0].actual == "999999999999"


def test_ssp_to_other_than_the_provider_asid() -> None:
    found = findings(good_headers(Ssp_To="999999999999"))
    assert requirements(found) == ["SSP-HDR-03"]
    assert PROVIDER_ASID in found[0].expected
    assert found[0].actual == "999999999999"


@pytest.mark.parametrize(
    "interaction_id",
    [
        INTERACTION_PREFIX + "delete:appointment",
        "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata",
        "read:appointment",
        "",
    ],
)
def test_unknown_interaction_id(interaction_id: str) -> None:
    found = findings(good_headers(Ssp_InteractionID=interaction_id))
    assert requirements(found) == ["SSP-HDR-04"]
    assert "known" in found[0].expected


def test_interaction_id_for_another_interaction() -> None:
    found = findings(good_headers(Ssp_InteractionID=INTERACTION_PREFIX + "update:appointment"))
    assert requirements(found) == ["SSP-HDR-04"]
    assert found[0].expected == READ_ID
    assert found[0].actual == INTERACTION_PREFIX + "update:appointment"


def test_known_interaction_id_on_a_request_that_is_no_interaction() -> None:
    found = findings(good_headers(), interaction=None)
    assert requirements(found) == ["SSP-HDR-04"]


def test_slot_interaction_follows_configuration() -> None:
    alternative = good_headers(Ssp_InteractionID=ALTERNATIVE_SLOT_INTERACTION)
    default = good_headers(Ssp_InteractionID=DEFAULT_SLOT_INTERACTION)
    slot = Interaction.SEARCH_SLOT
    assert findings(default, slot) == []
    assert requirements(findings(alternative, slot)) == ["SSP-HDR-04"]
    assert findings(alternative, slot, slot_interaction=ALTERNATIVE_SLOT_INTERACTION) == []
    assert requirements(findings(default, slot, slot_interaction=ALTERNATIVE_SLOT_INTERACTION)) == ["SSP-HDR-04"]


def test_header_names_in_lower_case_are_found() -> None:
    lower = {name.lower(): value for name, value in good_headers().items()}
    assert findings(lower) == []


def test_header_names_in_upper_case_are_found() -> None:
    upper = {name.upper(): value for name, value in good_headers().items()}
    assert findings(upper) == []


def test_httpx_headers_are_accepted() -> None:
    assert findings(httpx.Headers(good_headers())) == []


def test_several_problems_give_several_findings() -> None:
    headers = {"ssp-traceid": "nope", "ssp-to": "123", "ssp-interactionid": INTERACTION_PREFIX + "read:metadata"}
    found = findings(headers)
    assert requirements(found) == ["SSP-HDR-01", "SSP-HDR-02", "SSP-HDR-03", "SSP-HDR-04"]


def test_no_headers_at_all_give_four_findings() -> None:
    found = findings({})
    assert requirements(found) == ["SSP-HDR-01", "SSP-HDR-02", "SSP-HDR-03", "SSP-HDR-04"]
    assert all(f.actual == "(absent)" for f in found)
