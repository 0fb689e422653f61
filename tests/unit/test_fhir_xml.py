"""FHIR XML read into the JSON shape (and written from it), and the content negotiation table."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spine_conformance.fhir import validate_resource
from spine_conformance.fhir.examples import booking_appointment
from spine_conformance.fhir.media import JSON, XML, UnsupportedFormat, accepted_format, charset, negotiate
from spine_conformance.fhir.xml import FhirXmlError, json_to_xml, xml_to_json


def normal(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


def rich_appointment() -> dict[str, Any]:
    appointment = booking_appointment()
    appointment["text"] = {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">A <b>b</b></div>'}
    appointment["priority"] = 3
    appointment["_status"] = {"extension": [{"url": "https://x.example/e", "valueBoolean": True}]}
    return appointment


def test_xml_round_trips_to_the_same_json_shape() -> None:
    appointment = rich_appointment()
    assert normal(xml_to_json(json_to_xml(appointment))) == normal(appointment)


def test_xml_is_written_in_the_element_order_the_models_use() -> None:
    from fhir.resources.STU3.appointment import Appointment

    appointment = booking_appointment()
    by_model = Appointment.model_validate(appointment).model_dump_xml()
    by_model = by_model.encode() if isinstance(by_model, str) else by_model
    assert json_to_xml(appointment).replace(b"UTF-8", b"utf-8") == by_model


def test_an_invalid_xml_resource_reaches_the_validator_with_its_faults() -> None:
    xml = json_to_xml(booking_appointment()).replace(
        b'<status value="booked"/>', b'<status value="nonsense"/><bogus value="1"/>'
    )
    resource = xml_to_json(xml)
    errors = {issue.expression for issue in validate_resource(resource).errors}
    assert {"Appointment.status", "Appointment.bogus"} <= errors


@pytest.mark.parametrize(
    "body",
    [b"<Appointment", b'<Appointment xmlns="urn:other"/>', b'<NoSuchType xmlns="http://hl7.org/fhir"/>', b"{}"],
)
def test_what_is_not_fhir_xml_is_refused(body: bytes) -> None:
    with pytest.raises(FhirXmlError):
        xml_to_json(body)


def test_entities_are_never_expanded() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<Patient xmlns="http://hl7.org/fhir"><id value="&e;"/></Patient>'
    )
    try:
        parsed = xml_to_json(hostile)
    except FhirXmlError:
        return
    assert "root:" not in json.dumps(parsed)


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type", "expected"),
    [
        ("application/fhir+xml", None, None, XML),
        ("application/fhir+json", "xml", None, XML),  # _format overrides Accept
        ("application/fhir+xml", "json", None, JSON),
        (None, None, "application/fhir+xml", XML),  # no Accept: the body's format
        ("*/*", None, None, JSON),  # nothing named: JSON
        ("application/fhir+json;q=0.5, application/fhir+xml", None, None, XML),
    ],
)
def test_negotiation_order(accept: str | None, fmt: str | None, content_type: str | None, expected: str) -> None:
    assert negotiate(accept, fmt, content_type) == expected


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", None), (None, "ttl"), ("application/fhir+json;q=0", None)])
def test_an_unproduced_format_is_unsupported(accept: str | None, fmt: str | None) -> None:
    with pytest.raises(UnsupportedFormat):
        negotiate(accept, fmt, None)


def test_accept_and_charset_parsing() -> None:
    assert accepted_format(None) is None
    assert charset('application/fhir+json; charset="UTF-8"') == "utf-8"
    assert charset("application/fhir+json") == ""
