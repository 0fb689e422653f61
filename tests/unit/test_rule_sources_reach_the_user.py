"""The published source of a rule reaches the user: consumer request findings and the HTML report."""

from __future__ import annotations

import json

import pytest

from spine_conformance.checks.consumer_actions import booking_rules, cancel_rules
from spine_conformance.fhir import examples
from spine_conformance.reporting.html import cited_links
from spine_conformance.virtual.journal import RecordedRequest

BASE = "https://p.example/STU3/1"


def request(method: str, path: str, body: object) -> RecordedRequest:
    return RecordedRequest("ssp", method, path, "", [], json.dumps(body).encode(), 0.0, status=201)


def test_booking_request_problems_carry_their_source() -> None:
    body = {**examples.booking_appointment(), "id": "mine", "created": "2999-01-01T00:00:00Z"}
    problems = booking_rules(request("POST", "/Appointment", body))
    by_text = {problem.text.split(":")[0]: problem for problem in problems}
    assert not by_text["Appointment.id"].advisory
    assert "appointment.md?plain=1#L52" in by_text["Appointment.id"].source
    assert by_text["Appointment.created"].advisory  # a Provider Demonstrator choice
    assert "AppointmentChecker.java#L536" in by_text["Appointment.created"].source


def test_cancel_request_problems_carry_their_source() -> None:
    booked = {**examples.booking_appointment(), "id": "a1"}
    submitted = {**booked, "status": "cancelled", "description": "changed"}
    put = request("PUT", "/Appointment/a1", submitted)
    [problem] = cancel_rules([put], booked, BASE)(put)
    assert problem.text.startswith("Appointment.description")
    assert "appointment.md?plain=1#L166" in problem.source


@pytest.mark.parametrize(
    ("source", "links"),
    [
        ("", []),
        (
            "CareConnect-Patient-1 (1.2.0 @ 79f29a6): https://github.com/x/p.xml; FHIR STU3 JSON (3.0.2): https://hl7.org/j",
            [("CareConnect-Patient-1 (1.2.0 @ 79f29a6)", "https://github.com/x/p.xml"),
             ("FHIR STU3 JSON (3.0.2)", "https://hl7.org/j")],
        ),
        ("https://example.org/rule", [("https://example.org/rule", "https://example.org/rule")]),
        ("BK-seed appointment.md", [("BK-seed appointment.md", "")]),
        ("a title: http://not-https", [("a title: http://not-https", "")]),
    ],
)  # fmt: skip
def test_cited_links_for_the_report(source: str, links: list[tuple[str, str]]) -> None:
    assert cited_links(source) == links
