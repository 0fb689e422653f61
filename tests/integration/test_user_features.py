"""Users' own .feature files run with the harness's step library (run --features DIR)."""

from __future__ import annotations

from pathlib import Path

from tests.suite_runner import run_suite

OWN_FEATURE = """Feature: Our own assurance of the CapabilityStatement
  @req:META-01 @interaction:read_metadata
  Scenario: Our provider states STU3 (our wording, the harness's steps)
    When the consumer reads the provider's CapabilityStatement
    Then the provider answers with a CapabilityStatement declaring STU3 and the booking interactions
    And the response is served as FHIR JSON
"""


def test_own_features_run_beside_the_suites_with_the_step_library(tmp_path: Path) -> None:
    own = tmp_path / "ours"
    own.mkdir()
    (own / "capability.feature").write_text(OWN_FEATURE)
    run = run_suite(tmp_path / "report", "--suite", "provider", "--tags", "req:META-01", "--features", str(own))
    assert run.exit_code == 0, run.output
    names = {s["name"]: s for s in run.results["scenarios"]}
    ours = names["Our provider states STU3 (our wording, the harness's steps)"]
    assert ours["status"] == "passed" and "META-01" in ours["evaluated"]
    assert "The CapabilityStatement declares FHIR STU3 and the booking interactions" in names


def test_a_folder_without_feature_files_is_a_usage_error(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--suite", "provider", "--features", str(tmp_path))
    assert run.exit_code == 2 and "not a folder of .feature files" in run.output
