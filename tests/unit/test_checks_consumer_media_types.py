"""CON-HTTP-01: the media types a consumer declares (checks.consumer.check_media_types)."""

from __future__ import annotations

import time

import pytest

from spine_conformance.checks.consumer import check_media_types
from spine_conformance.findings import CheckFailed, evaluation
from spine_conformance.virtual.journal import RecordedRequest

FHIR_UTF8 = "application/fhir+json;charset=utf-8"


def sent(method: str, content_type: str | None = None, accept: str | None = "application/fhir+json") -> RecordedRequest:
    headers = [(name, value) for name, value in (("content-type", content_type), ("accept", accept)) if value]
    body = b'{"resourceType": "Appointment"}' if method in ("POST", "PUT") else b""
    return RecordedRequest("ssp", method, "/https://p.example/STU3/1/Appointment", "", headers, body, time.time())


@pytest.mark.parametrize(
    "content_type", [FHIR_UTF8, "application/fhir+json; charset=UTF-8", 'application/fhir+xml; charset="utf-8"']
)
def test_a_fhir_body_in_utf8_passes(content_type: str) -> None:
    with evaluation() as judged:
        check_media_types([sent("GET"), sent("POST", content_type), sent("PUT", content_type, accept=None)])
    assert judged.evaluated == ["CON-HTTP-01"] and judged.advisories == []


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json;charset=utf-8", "application/fhir+json"),
        ("application/fhir+json", "charset=utf-8"),
        (None, "application/fhir+json"),
    ],
)
def test_a_body_not_declared_fhir_in_utf8_fails(content_type: str | None, expected: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_media_types([sent("POST", content_type)])
    assert any(expected in finding.expected for finding in raised.value.findings)
    assert {finding.requirement for finding in raised.value.findings} == {"CON-HTTP-01"}


@pytest.mark.parametrize("accept", ["application/json", "application/fhir+json, */*;q=0.1", "text/json"])
def test_accept_may_name_a_generic_json_type(accept: str) -> None:
    with evaluation() as judged:
        check_media_types([sent("GET", accept=accept)])
    assert judged.advisories == []


@pytest.mark.parametrize("accept", ["*/*", "text/html", "application/json+fhir"])
def test_accept_without_a_fhir_format_is_advisory(accept: str) -> None:
    with evaluation() as judged:
        check_media_types([sent("GET", accept=accept)])
    assert [finding.requirement for finding in judged.advisories] == ["CON-HTTP-01"]
