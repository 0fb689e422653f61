"""The six appointments interactions: routing by verb and path, IDs, and URLs below the FHIR base."""

from __future__ import annotations

import pytest

from spine_conformance.interactions import (
    ALTERNATIVE_SLOT_INTERACTION,
    DEFAULT_SLOT_INTERACTION,
    INTERACTION_PREFIX,
    INTERACTIONS,
    SLOT_INCLUDES,
    Interaction,
    interaction_for,
    interaction_from_id,
    relative_to_base,
    seed_include_names,
    slot_query_for_edition,
)

BASE = "https://provider.example/STU3/1"


@pytest.mark.parametrize(
    ("method", "path", "has_query", "expected"),
    [
        ("GET", "metadata", False, Interaction.READ_METADATA),
        ("GET", "metadata", True, Interaction.READ_METADATA),
        ("GET", "Slot", True, Interaction.SEARCH_SLOT),
        ("GET", "Slot", False, Interaction.SEARCH_SLOT),
        ("POST", "Appointment", False, Interaction.CREATE_APPOINTMENT),
        ("POST", "Appointment", True, Interaction.CREATE_APPOINTMENT),
        ("GET", "Appointment", True, Interaction.SEARCH_APPOINTMENT),
        ("GET", "Appointment", False, None),
        ("GET", "Appointment/x", False, Interaction.READ_APPOINTMENT),
        ("GET", "Appointment/x", True, Interaction.READ_APPOINTMENT),
        ("GET", "Appointment/x/_history/2", False, Interaction.READ_APPOINTMENT),
        ("GET", "Appointment/0f8fad5b-d9cb-469f-a165-70867728950e", False, Interaction.READ_APPOINTMENT),
        ("PUT", "Appointment/x", False, Interaction.UPDATE_APPOINTMENT),
        ("PUT", "Appointment/x/_history/2", False, None),
        ("PUT", "Appointment", False, None),
        ("DELETE", "Appointment/x", False, None),
        ("PATCH", "Appointment/x", False, None),
        ("POST", "Slot", False, None),
        ("POST", "Appointment/x", False, None),
        ("POST", "metadata", False, None),
        ("GET", "Slot/x", False, None),
        ("GET", "Patient/x", False, None),
        ("GET", "Appointment/x/_history", False, None),
        ("GET", "Appointment/x/y", False, None),
        ("GET", "Appointment/" + "a" * 65, False, None),
        ("GET", "Appointment/a b", False, None),
        ("GET", "", False, None),
    ],
)
def test_interaction_for(method: str, path: str, has_query: bool, expected: Interaction | None) -> None:
    assert interaction_for(method, path, has_query) is expected


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "Appointment/x"), ("Get", "/Appointment/x"), ("GET", "Appointment/x/"), ("GET", "/Appointment/x/")],
)
def test_interaction_for_ignores_verb_case_and_outer_slashes(method: str, path: str) -> None:
    assert interaction_for(method, path, False) is Interaction.READ_APPOINTMENT


def test_interaction_for_rejects_a_trailing_newline() -> None:
    assert interaction_for("GET", "metadata\n", False) is None


@pytest.mark.parametrize(
    ("interaction_id", "expected"),
    [
        (INTERACTION_PREFIX + "read:metadata", Interaction.READ_METADATA),
        (INTERACTION_PREFIX + "search:slot", Interaction.SEARCH_SLOT),
        (INTERACTION_PREFIX + "create:appointment", Interaction.CREATE_APPOINTMENT),
        (INTERACTION_PREFIX + "search:appointment", Interaction.SEARCH_APPOINTMENT),
        (INTERACTION_PREFIX + "read:appointment", Interaction.READ_APPOINTMENT),
        (INTERACTION_PREFIX + "update:appointment", Interaction.UPDATE_APPOINTMENT),
        (INTERACTION_PREFIX + "read:slot", None),
        (INTERACTION_PREFIX + "delete:appointment", None),
        ("urn:nhs:names:services:careconnect:fhir:rest:READ:METADATA", None),
        ("", None),
    ],
)
def test_interaction_from_id(interaction_id: str, expected: Interaction | None) -> None:
    assert interaction_from_id(interaction_id) is expected


def test_every_interaction_id_maps_back_to_its_interaction() -> None:
    for interaction, spec in INTERACTIONS.items():
        assert spec.interaction is interaction
        assert interaction_from_id(interaction.interaction_id()) is interaction
        assert spec.interaction_id.startswith(INTERACTION_PREFIX)


def test_interaction_from_id_honours_the_read_slot_alternative() -> None:
    assert ALTERNATIVE_SLOT_INTERACTION == INTERACTION_PREFIX + "read:slot"
    assert interaction_from_id(ALTERNATIVE_SLOT_INTERACTION, ALTERNATIVE_SLOT_INTERACTION) is Interaction.SEARCH_SLOT
    # With read:slot configured, search:slot no longer names the slot search.
    assert interaction_from_id(DEFAULT_SLOT_INTERACTION, ALTERNATIVE_SLOT_INTERACTION) is None
    # The other interactions are unaffected by the choice.
    assert (
        interaction_from_id(INTERACTION_PREFIX + "read:appointment", ALTERNATIVE_SLOT_INTERACTION)
        is Interaction.READ_APPOINTMENT
    )


def test_interaction_id_of_slot_search_follows_configuration() -> None:
    assert Interaction.SEARCH_SLOT.interaction_id() == DEFAULT_SLOT_INTERACTION
    assert Interaction.SEARCH_SLOT.interaction_id(ALTERNATIVE_SLOT_INTERACTION) == ALTERNATIVE_SLOT_INTERACTION
    assert (
        Interaction.READ_METADATA.interaction_id(ALTERNATIVE_SLOT_INTERACTION) == INTERACTION_PREFIX + "read:metadata"
    )


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (f"{BASE}/Slot", BASE, "Slot"),
        (f"{BASE}/Slot?status=free", BASE, "Slot"),
        (f"{BASE}/Appointment/a1/_history/2", BASE, "Appointment/a1/_history/2"),
        (f"{BASE}/Slot", BASE + "/", "Slot"),
        (f"{BASE}/Slot/", BASE, "Slot/"),
        (BASE, BASE, ""),
        (BASE + "/", BASE, ""),
        (BASE, BASE + "/", ""),
        ("https://PROVIDER.Example/STU3/1/metadata", BASE, "metadata"),
        (f"{BASE}/metadata", "https://Provider.EXAMPLE/STU3/1", "metadata"),
        ("https://provider.example/Slot", "https://provider.example", "Slot"),
        ("https://provider.example/Slot", "https://provider.example/", "Slot"),
        ("HTTPS://provider.example/STU3/1/Slot", BASE, "Slot"),
    ],
)
def test_relative_to_base_below_the_base(url: str, base: str, expected: str) -> None:
    assert relative_to_base(url, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://provider.example/STU3/2/Slot",
        "https://provider.example/STU3/10/Slot",
        "https://provider.example/STU3/1Slot",
        "https://provider.example/STU3",
        "https://provider.example/Slot",
        "http://provider.example/STU3/1/Slot",
        "https://other.example/STU3/1/Slot",
        "https://provider.example:8443/STU3/1/Slot",
        "https://provider.example/stu3/1/Slot",
    ],
)
def test_relative_to_base_outside_the_base(url: str) -> None:
    assert relative_to_base(url, BASE) is None


def test_relative_to_base_feeds_interaction_for() -> None:
    relative = relative_to_base(f"{BASE}/Appointment/a1/_history/1", BASE)
    assert relative is not None
    assert interaction_for("GET", relative, False) is Interaction.READ_APPOINTMENT


def test_a_slot_query_speaks_the_2x_include_names_for_an_edition_2_target() -> None:
    seed = [("status", "free"), *(("_include", include) for include in SLOT_INCLUDES)]
    assert slot_query_for_edition(seed, "1") == seed
    spelled = slot_query_for_edition([*seed, ("_include", "Slot:not-a-search-parameter")], "2")
    assert spelled[:2] == [("status", "free"), ("_include", "Slot:schedule")]
    assert ("_include:iterate", "HealthcareService:Location") in spelled
    assert ("_include:iterate", "HealthcareService:Organization") in spelled
    assert spelled[-1] == ("_include", "Slot:not-a-search-parameter")  # a deliberate oddity is sent as it is
    assert not any(value in ("HealthcareService.location", "HealthcareService.providedBy") for _, value in spelled)
    assert seed_include_names(spelled) == [*SLOT_INCLUDES, "Slot:not-a-search-parameter"]
