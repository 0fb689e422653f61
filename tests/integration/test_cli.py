"""The command line as a user meets it: exit codes, clear errors, and each sub-command working."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spine_conformance.config.model import ProviderConfig, TargetConfig
from spine_conformance.fhir.examples import booking_appointment
from spine_conformance.interactions import Interaction
from spine_conformance.requirements import catalogue
from spine_conformance.tokens import bearer, inspect_appointments_token
from tests.suite_runner import NOT_MATRIX, run_against, run_suite


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spine_conformance", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_config_errors_are_all_listed_with_exit_code_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(
        'name = "Bad"\n[provider]\nbse_url = "https://x.example/"\nasid = "123"\n'
        '[patient]\nnhs_number = "9434765918"\n[tls]\nca_bundle = "missing.pem"\n[consumer]\nods_code = "a"\n'
    )
    result = cli("run", "--config", str(config), "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2
    for key in (
        "provider.bse_url",
        "did you mean 'base_url'",
        "provider.asid",
        "patient.nhs_number",
        "tls.ca_bundle",
        "consumer.ods_code",
    ):
        assert key in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tags", "req:META-01 and ("], "tag expression"),
        (["--tags", "req:NOPE-99"], "matches --tags 'req:NOPE-99': 'req:NOPE-99' matches no tag"),
        (["--suite", "everything"], "invalid choice"),
        (["-n", "-1"], "--workers"),
    ],
)
def test_usage_errors_exit_2_without_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("run", "--report-dir", str(tmp_path / "r"), *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_provider_is_one_headline_error_not_a_failure(tmp_path: Path) -> None:
    """Observed: one FAILED entry per requirement quoting Python class names, each after its own timeout."""
    # Port 9 (discard) on loopback has nothing listening: connections are refused.
    target = TargetConfig(
        name="Nowhere",
        provider=ProviderConfig(base_url="https://127.0.0.1:9/STU3/1", asid="918999198993", healthcare_service="1"),
    )
    run = run_against(target, tmp_path, "--suite", "provider", *NOT_MATRIX)
    assert run.exit_code == 3, run.output
    assert run.verdict == "INCOMPLETE"
    assert run.results["summary"]["failed"] == 0
    assert run.requirements_with("failed") == set()
    assert "META-01" in run.requirements_with("error")
    assert run.results["errors"] == [
        {"cause": "https://127.0.0.1:9: connection refused", "scenarios": run.results["summary"]["error"]}
    ]
    assert "ERROR https://127.0.0.1:9: connection refused" in run.output
    assert "ConnectError" not in run.output and "spine_conformance." not in run.output
    # Found unreachable once, the endpoint is not tried again: later scenarios stop at once.
    messages = [s["message"] for s in run.results["scenarios"] if s["status"] == "error"]
    assert sum("not tried, because" in message for message in messages) >= len(messages) - 2


def test_token_prints_a_conformant_jwt(tmp_path: Path) -> None:
    result = cli("token", "--for", "create_appointment", "--audience", "https://provider.example/STU3/1")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.endswith(".")
    findings = inspect_appointments_token(
        bearer(token),
        audience="https://provider.example/STU3/1",
        interaction=Interaction.CREATE_APPOINTMENT,
        now=int(time.time()),
    )
    assert findings == []


def test_token_without_an_audience_is_a_usage_error() -> None:
    result = cli("token")
    assert result.returncode == 2
    assert "provider.base_url" in result.stderr


def test_validate_reports_valid_and_invalid_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(booking_appointment()))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**booking_appointment(), "status": "bogus"}))
    assert cli("validate", str(good)).returncode == 0
    result = cli("validate", str(good), str(bad))
    assert result.returncode == 1
    assert "Appointment.status" in result.stdout
    assert "rule: FHIR STU3 Appointment (3.0.2): https://hl7.org/fhir/STU3/appointment.html" in result.stdout
    assert cli("validate", str(tmp_path / "missing.json")).returncode == 2


def test_requirements_lists_the_whole_catalogue() -> None:
    result = cli("requirements", "--format", "json")
    assert result.returncode == 0
    assert [r["id"] for r in json.loads(result.stdout)] == list(catalogue())


def test_report_re_reads_a_run(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--tags", "req:META-01")
    assert run.exit_code == 0, run.output
    again = cli("report", str(tmp_path / "report"))
    assert again.returncode == 0
    assert "PASS" in again.stdout
    assert cli("report", str(tmp_path)).returncode == 2


def test_serve_rejects_an_unknown_fault() -> None:
    result = cli("serve", "--fault", "no-such-fault")
    assert result.returncode == 2
    assert "metadata-missing-interactions" in result.stderr


def test_serve_prints_a_usable_target_and_stops_on_interrupt(tmp_path: Path) -> None:
    written = tmp_path / "target.toml"
    server = subprocess.Popen(
        [sys.executable, "-m", "spine_conformance", "serve", "--write-config", str(written)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not written.exists():
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "serve did not write its target in time"
            server.stdout and server.stdout.readline()  # wait on output instead of sleeping
        # A new user's path: the whole provider suite against a provider known only by its TOML.
        run = run_suite(tmp_path / "report", "--config", str(written), "--suite", "provider", *NOT_MATRIX)
        assert run.exit_code == 0, run.output
        assert run.results["summary"]["passed"] > 50
    finally:
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "Stopped" in out


def test_tags_select_scenarios_by_requirement_or_interaction(tmp_path: Path) -> None:
    run = run_suite(tmp_path / "report", "--suite", "provider", "--tags", "req:CONC-01 or interaction:read_appointment")
    assert run.exit_code == 0, run.output
    for scenario in run.results["scenarios"]:
        assert "req:CONC-01" in scenario["tags"] or "interaction:read_appointment" in scenario["tags"]
    names = {scenario["name"] for scenario in run.results["scenarios"]}
    assert "An update whose If-Match is not the current version is refused with 409" in names
    assert "Reading an appointment that does not exist is refused with 404" in names
    assert not any("slot search" in name.lower() for name in names)


def test_plain_pytest_runs_the_suite_with_the_plugin_options(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(root / "features/appointments/provider"),
            "--tags",
            "req:META-01",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["summary"]["passed"] == 1
