"""Every artefact of a run exists, matches its schema or expected content, and is redacted."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spine_conformance.config.model import TargetConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.paths import validator
from spine_conformance.reporting.allure_results import STEP_ARGUMENTS
from spine_conformance.reporting.manifest import verify_manifest
from spine_conformance.requirements import catalogue
from tests.browser import chromium, needs_chromium
from tests.browser import flags as browser_flags
from tests.faults.conftest import CLEAN_RUN_GROUP
from tests.suite_runner import NOT_MATRIX, SuiteRun, run_suite, write_target

PATIENT = TargetConfig().patient
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.")


# With the clean-run verdict test: the whole clean run is made once (tests/faults/conftest.py).
pytestmark = CLEAN_RUN_GROUP


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory, clean_run: tuple[SuiteRun, Path]) -> tuple[SuiteRun, Path]:
    """A run against a demonstrator with two faults, compared with the clean run as its baseline."""
    scratch = tmp_path_factory.mktemp("faulty")
    with Demonstrator(faults=["create-relative-location", "rtec-missing-field-accepted"]) as demonstrator:
        config = write_target(demonstrator.config, scratch)
        run = run_suite(
            scratch / "report", "--config", str(config), "--baseline", str(clean_run[1] / "results.json"), *NOT_MATRIX
        )
    return run, scratch / "report"


def test_every_artefact_is_written(clean_run: tuple[SuiteRun, Path]) -> None:
    run, directory = clean_run
    assert run.exit_code == 0, run.output
    for name in ("results.json", "report.html", "rtm.csv", "junit.xml", "manifest.json", "allure-results"):
        assert (directory / name).exists(), name
    validator("results.schema.json").validate(run.results)


def test_rtm_lists_every_requirement(clean_run: tuple[SuiteRun, Path]) -> None:
    _, directory = clean_run
    with (directory / "rtm.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["requirement"] for row in rows] == list(catalogue())
    assert {row["status"] for row in rows} <= {"passed", "failed", "error", "not-tested"}
    assert all(row["reason"] for row in rows if row["status"] == "not-tested")


def test_junit_has_one_testcase_per_scenario_with_requirement_properties(clean_run: tuple[SuiteRun, Path]) -> None:
    run, directory = clean_run
    cases = ET.parse(directory / "junit.xml").getroot().iter("testcase")
    by_name = {case.get("name"): case for case in cases}
    assert len(by_name) == len(run.results["scenarios"])
    for scenario in run.results["scenarios"]:
        properties = by_name[scenario["name"]].iter("property")
        assert {p.get("value") for p in properties if p.get("name") == "requirement"} == set(scenario["requirements"])


def test_allure_results_carry_requirement_labels_and_step_exchanges(clean_run: tuple[SuiteRun, Path]) -> None:
    _, directory = clean_run
    results = [json.loads(p.read_text()) for p in (directory / "allure-results").glob("*-result.json")]
    assert results
    labelled = [r for r in results if any(label["name"] == "requirement" for label in r["labels"])]
    assert len(labelled) == len(results)
    attached = [a for r in results for step in r["steps"] for a in step.get("attachments", [])]
    assert attached, "the HTTP exchanges are attached to the steps"
    assert all(p["name"] in STEP_ARGUMENTS for r in results for step in r["steps"] for p in step.get("parameters", []))


def test_manifest_proves_the_pack_unchanged(clean_run: tuple[SuiteRun, Path], tmp_path: Path) -> None:
    _, directory = clean_run
    assert verify_manifest(directory) == []
    copy = tmp_path / "copy"
    shutil.copytree(directory, copy)
    (copy / "rtm.csv").write_text("tampered\n")
    assert verify_manifest(copy) == ["changed: rtm.csv"]


def test_no_artefact_contains_the_patient_or_a_token(clean_run: tuple[SuiteRun, Path]) -> None:
    run, directory = clean_run
    exemption = TargetConfig().exemption
    secrets = [
        PATIENT.nhs_number,
        PATIENT.family,
        PATIENT.birth_date,
        PATIENT.postcode,
        PATIENT.postcode.replace(" ", ""),
        exemption.not_exempt_nhs_number,
        exemption.not_exempt_family,
        exemption.not_exempt_birth_date,
        exemption.not_exempt_postcode,
    ]
    for path in directory.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        for secret in secrets:
            assert secret.lower() not in text.lower(), f"{secret!r} in {path.relative_to(directory)}"
        assert not JWT.search(text), f"a token in {path.relative_to(directory)}"
    assert PATIENT.nhs_number not in run.output and PATIENT.family not in run.output


def test_failures_come_first_with_the_exchange_and_the_baseline_lists_them(faulty_run: tuple[SuiteRun, Path]) -> None:
    run, directory = faulty_run
    assert run.exit_code == 1
    html = (directory / "report.html").read_text()
    assert html.index('<h2 id="failures">Failures</h2>') < html.index('<h2 id="matrix">Requirement matrix</h2>')
    assert "APPT-CREATE-01" in html and "RTEC-RES-03" in html
    assert "Expected:" in html and "Received:" in html and "POST https://" in html
    comparison = json.loads((directory / "comparison.json").read_text())
    assert set(comparison["newly_failing"]) == {"APPT-CREATE-01", "RTEC-RES-03"}
    assert "newly failing" in run.output and "APPT-CREATE-01" in run.output


def test_report_command_re_renders_every_artefact(faulty_run: tuple[SuiteRun, Path], tmp_path: Path) -> None:
    _, directory = faulty_run
    copy = tmp_path / "copy"
    shutil.copytree(directory, copy)
    for name in ("report.html", "rtm.csv", "junit.xml", "manifest.json"):
        (copy / name).unlink()
    from tests.integration.test_cli import cli  # one way to call the command line

    assert cli("report", str(copy)).returncode == 1  # the run it describes failed
    for name in ("report.html", "rtm.csv", "junit.xml", "manifest.json"):
        assert (copy / name).is_file()
    assert (copy / "report.html").read_text().count("Compared with the baseline") == 1
    assert verify_manifest(copy) == []


@needs_chromium
def test_report_renders_in_headless_chromium(faulty_run: tuple[SuiteRun, Path], tmp_path: Path) -> None:
    browser = chromium()
    assert browser, "CI must install Chromium (.ci/run does)"
    _, directory = faulty_run
    page = (directory / "report.html").resolve().as_uri()
    flags = browser_flags(tmp_path / "profile")
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "FAIL — " in dom and "APPT-CREATE-01" in dom and "Expected:" in dom
    screenshot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={screenshot}", "--window-size=1280,2000", page],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def errored_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, Path]:
    """A run the target never answered: every scenario is an error of the run, none a failure."""
    from spine_conformance.config.model import ProviderConfig

    scratch = tmp_path_factory.mktemp("errored")
    nowhere = TargetConfig(
        name="Nowhere",
        provider=ProviderConfig(base_url="https://127.0.0.1:9/STU3/1", asid="918999198993", healthcare_service="1"),
    )
    config = write_target(nowhere, scratch)
    return run_suite(
        scratch / "report", "--config", str(config), "--suite", "provider", *NOT_MATRIX
    ), scratch / "report"


def test_errors_are_junit_errors_and_allure_broken_never_failures(errored_run: tuple[SuiteRun, Path]) -> None:
    run, directory = errored_run
    assert run.exit_code == 3, run.output
    root = ET.parse(directory / "junit.xml").getroot()
    assert root.get("errors") == str(run.results["summary"]["error"]) and root.get("failures") == "0"
    assert int(root.get("errors") or 0) > 0
    verdict = [p.get("value") for p in root.iter("property") if p.get("name") == "verdict"]
    assert verdict == ["INCOMPLETE"]
    assert next(root.iter("error")).text == "https://127.0.0.1:9: connection refused"
    allure = directory / "allure-results"
    statuses = {json.loads(p.read_text())["status"] for p in allure.glob("*-result.json")}
    assert "broken" in statuses and statuses <= {"broken", "skipped"}  # skipped: not tested (no SSP configured)
    categories = json.loads((allure / "categories.json").read_text())
    assert {tuple(c["matchedStatuses"]) for c in categories} >= {("failed",), ("broken",)}
    html = (directory / "report.html").read_text()
    assert "INCOMPLETE" in html and "Errors of the run" in html and "connection refused" in html
    with (directory / "rtm.csv").open(encoding="utf-8-sig") as handle:
        statuses_in_rtm = {row["status"] for row in csv.DictReader(handle) if row["in_scope"] == "yes"}
    assert "error" in statuses_in_rtm and "failed" not in statuses_in_rtm


def test_requirement_sources_are_followable_links_in_every_artefact(clean_run: tuple[SuiteRun, Path]) -> None:
    _, directory = clean_run
    html = (directory / "report.html").read_text()
    source = catalogue()["APPT-CREATE-01"].sources[0]
    assert f'<a class="source" href="{source.url}">' in html and source.version in html
    with (directory / "rtm.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["requirement"]: row for row in csv.DictReader(handle)}
    assert source.url in rows["APPT-CREATE-01"]["source_links"]
    allure = [json.loads(p.read_text()) for p in (directory / "allure-results").glob("*-result.json")]
    assert any(link.get("url") == source.url for result in allure for link in result.get("links", []))
