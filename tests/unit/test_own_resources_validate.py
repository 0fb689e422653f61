"""Everything the project itself produces passes the validator with no issue at all (not even a
warning): the demonstrator's seeded resources, the harness's booking request and the examples."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from spine_conformance.appointments.booking import booking_request
from spine_conformance.config.model import PatientConfig
from spine_conformance.demonstrator.provider.seed import fhir_instant, slot_json, slot_rows, static_resources
from spine_conformance.fhir import booking_problems, examples, validate_resource

Json = dict[str, Any]


def _seeded_slot() -> Json:
    row = next(slot_rows(date(2025, 5, 1), days=1))
    return slot_json(row.id, row.schedule_id, "free", row.identifier, fhir_instant(row.start), fhir_instant(row.end))


@pytest.mark.parametrize(
    "resource",
    [*static_resources(), _seeded_slot()],
    ids=lambda r: f"{r['resourceType']}/{r['id']}",
)
def test_seeded_resources_validate_without_any_issue(resource: Json) -> None:
    result = validate_resource(resource, expected_type=resource["resourceType"])
    assert result.issues == (), [issue.describe() for issue in result.issues]


def test_the_harness_booking_request_is_clean_for_the_validator_and_the_booking_rules() -> None:
    body = booking_request(PatientConfig(), _seeded_slot(), "harness booking")
    assert validate_resource(body, expected_type="Appointment").issues == ()
    assert booking_problems(body) == []


def test_the_slot_search_example_is_clean() -> None:
    assert validate_resource(examples.slot_search_bundle(40)).issues == ()
