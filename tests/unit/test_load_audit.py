"""The provider's state read back after a load run: double bookings, lost bookings, lost updates."""

from __future__ import annotations

from typing import Any

from spine_conformance.fhir.profiles_common import NHS_NUMBER_SYSTEM
from spine_conformance.load.audit import Audit, ReadBack, nhs_numbers_in, state_findings
from spine_conformance.load.observations import AcceptedCancel


def appointment(status: str = "booked", version: str = "1", slot: str = "S1") -> dict[str, Any]:
    return {
        "resourceType": "Appointment",
        "status": status,
        "meta": {"versionId": version},
        "slot": [{"reference": f"Slot/{slot}"}],
    }


def readable(**fields: Any) -> ReadBack:
    return ReadBack(200, appointment(**fields), None)


def test_a_clean_state_has_no_findings() -> None:
    created = {"a": "S1", "b": "S2"}
    read = {"a": readable(slot="S1"), "b": readable(status="cancelled", version="2", slot="S2")}
    assert state_findings(created, [AcceptedCancel("b", "1", "2")], read) == []


def test_two_appointments_holding_one_slot_name_the_slot_and_both_appointments() -> None:
    created = {"a": "S1", "b": "S1", "c": "S1"}
    read = {"a": readable(), "b": readable(), "c": readable(status="cancelled", version="2")}
    (finding,) = state_findings(created, [], read)
    assert finding.requirement == "LOAD-01"
    assert "Slot/S1" in finding.expected
    assert finding.actual == "2 appointments hold Slot/S1: Appointment/a, Appointment/b"


def test_the_slot_comes_from_the_appointment_as_read_even_as_an_absolute_reference() -> None:
    created = {"a": "S1", "b": "S9"}
    moved = appointment(slot="S1")
    moved["slot"] = [{"reference": "https://provider.example/STU3/1/Slot/S1"}]
    (finding,) = state_findings(created, [], {"a": readable(), "b": ReadBack(200, moved, None)})
    assert "Slot/S1" in finding.actual


def test_a_booking_answered_201_that_cannot_be_read_is_lost() -> None:
    (finding,) = state_findings({"a": "S1"}, [], {"a": ReadBack(404, None, None)})
    assert finding.requirement == "LOAD-03"
    assert "Appointment/a" in finding.expected and finding.actual == "HTTP 404"


def test_an_unanswered_read_judges_nothing() -> None:
    assert state_findings({"a": "S1"}, [], {"a": ReadBack(0, None, None)}) == []
    assert state_findings({"a": "S1"}, [], {}) == []


def test_an_accepted_cancel_that_is_undone_is_a_lost_update() -> None:
    read = {"a": readable(status="booked", version="3")}
    (finding,) = state_findings({"a": "S1"}, [AcceptedCancel("a", "1", "2")], read)
    assert finding.requirement == "LOAD-02"
    assert finding.actual == "status booked, version 3"


def test_a_cancel_whose_version_was_never_superseded_is_a_lost_update() -> None:
    read = {"a": readable(status="cancelled", version="1")}
    findings = state_findings({"a": "S1"}, [AcceptedCancel("a", "1", "2")], read)
    assert [f.requirement for f in findings] == ["LOAD-02"]


def test_a_version_behind_the_accepted_one_is_a_lost_update() -> None:
    read = {"a": readable(status="cancelled", version="2")}
    findings = state_findings({"a": "S1"}, [AcceptedCancel("a", "2", "3")], read)
    assert [f.requirement for f in findings] == ["LOAD-02"]


def test_later_versions_after_the_cancel_are_fine() -> None:
    read = {"a": readable(status="cancelled", version="5")}
    assert state_findings({"a": "S1"}, [AcceptedCancel("a", "1", "2")], read) == []


def test_an_audit_is_complete_only_when_everything_was_read() -> None:
    assert Audit().complete
    assert not Audit(planned=2, read={"a": readable()}).complete
    assert not Audit(planned=1, read={"a": readable()}, problem="deadline").complete


def test_nhs_numbers_are_found_anywhere_in_a_resource() -> None:
    resource = {
        "contained": [{"identifier": [{"system": NHS_NUMBER_SYSTEM, "value": "9990000018"}]}],
        "participant": [{"actor": {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": "9990000026"}}}],
        "identifier": [{"system": "other", "value": "1234567890"}],
    }
    assert sorted(nhs_numbers_in(resource)) == ["9990000018", "9990000026"]
