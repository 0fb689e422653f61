"""The REST-layer scenarios against a JSON-only provider this project did not build (fhir_provider.py)."""

from __future__ import annotations

from pathlib import Path

from tests.independent.test_independent_provider import run_provider_suite


def test_a_json_only_provider_is_not_failed_for_xml_and_its_missing_charset_is_found(tmp_path: Path) -> None:
    """It declares only JSON, sends Date (http.server does) and no charset parameter (FHIR: SHALL)."""
    run = run_provider_suite(tmp_path, "interaction:read_metadata and (req:HTTP-02 or req:HTTP-05)")
    assert run.requirements_with("failed") == {"HTTP-04"}, run.output
    assert {"HTTP-02", "HTTP-05"} <= run.requirements_with("passed"), run.output
    not_tested = [s["message"] for s in run.results["scenarios"] if s["status"] == "not_tested"]
    assert any("declares no XML" in message for message in not_tested), run.output
