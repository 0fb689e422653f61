"""Hostile nesting is an invalid resource, never a crash (fhir.depth, the validator, the demonstrator's parser)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spine_conformance.demonstrator.provider.http import HttpError, parse_json_object
from spine_conformance.fhir import validate_resource
from spine_conformance.fhir.depth import MAX_NESTING, too_deep
from spine_conformance.fhir.examples import booking_appointment


def nested_extension(levels: int) -> dict[str, Any]:
    extension: dict[str, Any] = {"url": "http://example.org/x", "valueString": "v"}
    for _ in range(levels):
        extension = {"url": "http://example.org/x", "extension": [extension]}
    return extension


def test_depth_is_measured_without_recursion() -> None:
    assert not too_deep(booking_appointment())
    assert too_deep({"a": [{"b": 1}]}, limit=2)
    assert not too_deep({"a": [{"b": 1}]}, limit=3)
    deep: Any = 1
    for _ in range(100_000):  # far past the interpreter's recursion limit
        deep = [deep]
    assert too_deep(deep)


@pytest.mark.parametrize("levels", [150, 200])
def test_a_deeply_nested_resource_is_invalid_not_an_exception(levels: int) -> None:
    """Observed: an extension nested 150 deep gave a 500; 200 deep crashed `spine-conformance validate`."""
    appointment = {**booking_appointment(), "extension": [nested_extension(levels)]}
    result = validate_resource(json.dumps(appointment))
    assert not result.ok
    assert result.errors[0].diagnostics == f"the resource is nested more than {MAX_NESTING} levels deep"


def test_json_too_deep_to_decode_is_invalid() -> None:
    text = '{"resourceType": "Appointment", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert validate_resource(text).errors[0].diagnostics == "the JSON is nested too deeply to read"


def test_the_demonstrator_refuses_deep_nesting_as_bad_input() -> None:
    body = json.dumps({**booking_appointment(), "extension": [nested_extension(150)]}).encode()
    with pytest.raises(HttpError) as raised:
        parse_json_object(body, "the Appointment")
    assert raised.value.status == 400
