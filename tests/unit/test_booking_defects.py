"""The invalid bookings and cancels of the pinned matrices: each changes the request and names its source."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.appointments.booking_defects import (
    BOOKING_DEFECTS,
    CANCEL_DEFECTS,
    anonymous_booking,
    booking_defect,
    cancel_defect,
)
from spine_conformance.config.model import PatientConfig
from spine_conformance.fhir import booking_problems, cancel_problems, examples, patient_nhs_number, validate_resource

Json = dict[str, Any]
# Refused by the provider only: the built-in rules cannot know the slot is not this provider's.
PROVIDER_ONLY = {"a reference to a slot that does not exist", "a slot reference to another server"}
EDITION_2_ONLY = {"two rank-1 telecoms", "no rank-1 telecom"}
SOURCES = ("BK-seed", "BK-head", "UEC", "FHIR", "TKW", "http.html")


def booking(edition: str = "1") -> Json:
    return booking_request(PatientConfig(), examples.slot(), "harness booking", edition)


@pytest.mark.parametrize("name", sorted(BOOKING_DEFECTS))
def test_each_booking_defect_changes_only_a_copy_and_names_its_source(name: str) -> None:
    original = booking("2" if name in EDITION_2_ONLY else "1")
    pristine = copy.deepcopy(original)
    defect = booking_defect(name)
    changed = defect.change(original)
    assert original == pristine and changed != original
    assert any(source in defect.answer.why for source in SOURCES), defect.answer.why
    assert defect.answer.statuses <= {400, 422}


@pytest.mark.parametrize("name", sorted(set(BOOKING_DEFECTS) - PROVIDER_ONLY - {"a body that is not JSON"}))
def test_the_built_in_rules_find_each_booking_defect(name: str) -> None:
    edition = "2" if name in EDITION_2_ONLY else "1"
    body = booking_defect(name).change(booking(edition))
    assert isinstance(body, dict)
    validated = validate_resource(body, edition=edition).errors
    problems = booking_problems(body, edition=edition)  # warnings too: the 2.x telecom ranks are advisory
    assert validated or problems, name


def test_a_profile_defect_on_well_formed_fhir_is_pinned_to_422_and_a_core_one_to_either() -> None:
    assert booking_defect("no slot").answer.statuses == {422}
    assert booking_defect("no status").answer.statuses == {400, 422}
    assert booking_defect("a body that is not JSON").answer.statuses == {400}
    assert booking_defect("an NHS number that fails its check digit").answer.statuses == {422}
    assert booking_defect("an id set on create").may_create
    # Core STU3 breaches (the app-3 invariant, an id that is not an id) allow the 400 FHIR names as well.
    for core in ("no start", "no end", "a malformed slot reference"):
        assert booking_defect(core).answer.statuses == {400, 422}, core


def test_a_slot_that_does_not_exist_may_be_answered_as_a_taken_one() -> None:
    """A target whose [spec] slot_conflict_status is 409 (UEC) may treat an unknown slot as not free."""
    defect = booking_defect("a reference to a slot that does not exist")
    assert defect.answer_for(422) is defect.answer
    widened = defect.answer_for(409)
    assert widened.statuses == {409, 422} and "slot_conflict_status 409" in widened.why
    assert booking_defect("no slot").answer_for(409).statuses == {422}  # only where the defect is a slot not free


def test_an_anonymous_booking_carries_no_nhs_number_anywhere() -> None:
    body = anonymous_booking(booking("2"))
    assert patient_nhs_number(body) is None
    assert "9434765919" not in str(body)
    assert booking_problems(body, edition="2") == []
    assert validate_resource(body, edition="2").ok


@pytest.mark.parametrize("name", sorted(CANCEL_DEFECTS))
def test_each_cancel_change_is_a_change_the_cancel_rules_refuse(name: str) -> None:
    current = {**booking(), "id": "a1", "meta": {"versionId": "1"}}
    submitted = cancel_defect(name).change({**current, "status": "cancelled"})
    assert isinstance(submitted, dict)
    assert [issue for issue in cancel_problems(current, submitted) if issue.is_error], name


def test_unknown_defects_list_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"no booking defect named .two slots.*no start"):
        booking_defect("two slots")
    with pytest.raises(KeyError, match="the comment"):
        cancel_defect("the colour")
