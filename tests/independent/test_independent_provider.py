"""The provider suite against a provider this project did not build (tests/independent/fhir_provider.py)."""

from __future__ import annotations

from pathlib import Path

from tests.independent.fhir_provider import BASE_PATH, SERVICE, FhirProvider
from tests.independent.servers import https_server
from tests.independent.slot_search_2x import BASE_PATH as SLOT_BASE_PATH
from tests.independent.slot_search_2x import SERVICE as SLOT_SERVICE
from tests.independent.slot_search_2x import SlotSearch2x
from tests.suite_runner import SuiteRun, run_suite


def run_provider_suite(tmp_path: Path, tags: str) -> SuiteRun:
    with https_server(FhirProvider, tmp_path) as server:
        config = tmp_path / "provider.toml"
        config.write_text(
            'name = "Independent provider"\n'
            f'[provider]\nbase_url = "{server.origin}{BASE_PATH}"\nasid = "918999198993"\n'
            f'healthcare_service = "{SERVICE}"\n[tls]\nca_bundle = "{server.ca_path}"\n'
        )
        return run_suite(tmp_path / "report", "--config", str(config), "--suite", "provider", "--tags", tags)


def test_a_404_without_an_operation_outcome_fails_the_read_requirement_that_demands_one(tmp_path: Path) -> None:
    """Observed: a 404 without an OperationOutcome passed APPT-READ-02, whose own text demands one."""
    run = run_provider_suite(tmp_path, "req:APPT-READ-02")
    assert (run.exit_code, run.verdict) == (1, "FAIL"), run.output
    assert run.requirements_with("failed") == {"APPT-READ-02", "ERR-01"}


def test_a_slot_ending_when_it_starts_is_not_invalid(tmp_path: Path) -> None:
    """Observed: 'end must be after start', a rule no published profile contains, failed VAL-01."""
    run = run_provider_suite(tmp_path, "interaction:search_slot and req:VAL-01")
    assert "VAL-01" in run.requirements_with("passed"), run.output
    assert "VAL-01" in run.requirements_advised()
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output


def run_slot_search_2x(tmp_path: Path, edition: str) -> SuiteRun:
    with https_server(SlotSearch2x, tmp_path) as server:
        config = tmp_path / "slot-search-2x.toml"
        config.write_text(
            'name = "Independent 2.x slot search"\n'
            f'[provider]\nbase_url = "{server.origin}{SLOT_BASE_PATH}"\nasid = "918999198993"\n'
            f'healthcare_service = "{SLOT_SERVICE}"\n[spec]\nedition = "{edition}"\n'
            f'[tls]\nca_bundle = "{server.ca_path}"\n'
        )
        return run_suite(
            tmp_path / "report", "--config", str(config), "--suite", "provider", "--tags", "req:SLOT-05 or req:SLOT-07"
        )


def test_a_slot_search_written_from_the_2x_page_passes_the_2x_edition(tmp_path: Path) -> None:
    """Unknown parameters, _revinclude and unsupported includes ignored, the start format enforced."""
    run = run_slot_search_2x(tmp_path, "2")
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    assert {"SLOT-05", "SLOT-07"} <= run.requirements_with("passed")


def test_the_same_search_fails_the_seed_edition_which_refuses_unsupported_parameters(tmp_path: Path) -> None:
    run = run_slot_search_2x(tmp_path, "1")
    assert (run.exit_code, run.verdict) == (1, "FAIL"), run.output
    assert run.requirements_with("failed") == {"SLOT-07"}
    failing = {s["name"] for s in run.failed_scenarios}
    assert any("unknown search parameter" in name for name in failing)
    assert not any("start without" in name for name in failing)  # the seed allows either answer there
