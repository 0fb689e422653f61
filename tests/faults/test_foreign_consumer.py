"""A consumer written by someone else, known only by the command templates in a target TOML.

The throwaway script (supplier_consumer.py, copied to a temporary folder) uses nothing but the
Python standard library: it is what a supplier might write to wire their own system to the harness.
"""

from __future__ import annotations

import json
import shlex
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from spine_conformance.config.model import ConsumerUnderTestConfig, TargetConfig
from spine_conformance.demonstrator.consumer_profile import reference_consumer
from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import run_against, run_suite

SCRIPT = Path(__file__).with_name("supplier_consumer.py")


def test_a_supplier_script_consumer_is_assured_through_command_templates(tmp_path: Path) -> None:
    script = tmp_path / "my_consumer.py"  # a copy in a temporary folder, as a supplier's own file
    script.write_text(SCRIPT.read_text())
    run_script = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    commands = ConsumerUnderTestConfig(
        trigger="command",
        search_slots=f"{run_script} slots --ssp {{ssp_url}} --provider {{provider_base_url}} --service {{service_id}} "
        "--from {consumer_asid} --to {provider_asid} --ca {ca_bundle}",
        check_exemption=f"{run_script} exemption --rtec {{exemption_url}} --dob {{dob}} --nhs {{nhs_number}} "
        "--postcode {postcode} --surname {surname} --rx {prescription_id} --from {consumer_asid} "
        "--ca {ca_bundle}",
    )
    with Demonstrator() as demonstrator:
        target = demonstrator.config
        config = replace(
            target,
            name="Supplier script consumer",
            consumer_under_test=commands,
            consumer=replace(target.consumer, endpoint_url="https://supplier.example/"),
        )
        run = run_against(
            config,
            tmp_path,
            "--suite",
            "consumer",
            "--tags",
            "interaction:search_slot or req:RTEC-REQ-01",
        )
    assert run.exit_code == 0, run.output
    passed = {s["name"] for s in run.results["scenarios"] if s["status"] == "passed"}
    assert "Searching for free slots" in passed
    assert "Checking the exemption of an adult patient" in passed


# The scenarios that put the consumer into a state first (README: "The consumer suite"), with the RTEC
# request details and the answers it must give the user.
STATE_DEPENDENT = [f"RTEC-CLI-{n:02d}" for n in range(4, 14)] + ["RTEC-REQ-05", "RTEC-REQ-06"]


def supplier_exemption_commands(script: Path, **settings: object) -> ConsumerUnderTestConfig:
    """As the README's worked example, with the placeholders the states need: {state} and {ods_code}."""
    run_script = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    return ConsumerUnderTestConfig(
        trigger="command",
        check_exemption=f"{run_script} exemption --rtec {{exemption_url}} --dob {{dob}} --nhs {{nhs_number}} "
        "--postcode {postcode} --surname {surname} --rx {prescription_id} --from {consumer_asid} "
        "--ods {ods_code} --state {state} --ca {ca_bundle}",
        **settings,  # type: ignore[arg-type]
    )


def test_a_supplier_script_is_assured_for_the_state_dependent_scenarios(tmp_path: Path) -> None:
    script = tmp_path / "my_consumer.py"
    script.write_text(SCRIPT.read_text())
    with Demonstrator() as demonstrator:
        config = replace(demonstrator.config, consumer_under_test=supplier_exemption_commands(script))
        tags = " or ".join(f"req:{requirement}" for requirement in STATE_DEPENDENT)
        run = run_against(config, tmp_path, "--suite", "consumer", "--tags", tags)
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    assert set(STATE_DEPENDENT) <= run.requirements_with("passed")
    assert run.results["summary"]["not_tested"] == run.results["summary"]["error"] == 0


def test_a_state_the_consumer_cannot_be_put_into_is_not_tested_with_the_reason(tmp_path: Path) -> None:
    script = tmp_path / "my_consumer.py"
    script.write_text(SCRIPT.read_text())
    commands = supplier_exemption_commands(script, unsupported_states=("prisoner-on-release",))
    with Demonstrator() as demonstrator:
        config = replace(demonstrator.config, consumer_under_test=commands)
        run = run_against(config, tmp_path, "--suite", "consumer", "--tags", "req:RTEC-CLI-05")
    # Nothing failed, but RTEC-CLI-05 was never verified: never a PASS.
    assert (run.exit_code, run.verdict) == (3, "INCOMPLETE"), run.output
    (scenario,) = run.results["scenarios"]
    assert scenario["status"] == "not_tested"
    assert "'prisoner-on-release'" in scenario["message"] and "unsupported_states" in scenario["message"]


def test_an_action_without_a_command_is_not_tested_with_the_reason(tmp_path: Path) -> None:
    with Demonstrator() as demonstrator:
        config = replace(demonstrator.config, consumer_under_test=ConsumerUnderTestConfig(search_slots="true"))
        run = run_against(
            config,
            tmp_path,
            "--suite",
            "consumer",
            "--tags",
            "interaction:read_appointment",
        )
    # Nothing failed, but the MUST requirements of reading were not tested: never a PASS.
    assert run.exit_code == 3, run.output
    assert run.verdict == "INCOMPLETE"
    (scenario,) = run.results["scenarios"]
    assert scenario["status"] == "not_tested"
    assert "consumer_under_test.read is not configured" in scenario["message"]


class _Hook(BaseHTTPRequestHandler):
    """A consumer's HTTP hook: runs the reference consumer for the action it is sent."""

    commands = reference_consumer()

    def do_POST(self) -> None:
        import subprocess

        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        quoted = {name: shlex.quote(value) for name, value in payload["parameters"].items()}
        command = self.commands.command(payload["action"]).format(**quoted)
        completed = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
        self.send_response(200 if completed.returncode == 0 else 500)
        self.end_headers()
        self.wfile.write((completed.stdout + completed.stderr).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/act"
    server.shutdown()


def test_the_http_trigger_posts_the_action_to_the_consumers_hook(tmp_path: Path, hook_url: str) -> None:
    with Demonstrator() as demonstrator:
        config = replace(
            demonstrator.config, consumer_under_test=ConsumerUnderTestConfig(trigger="http", hook_url=hook_url)
        )
        run = run_against(
            config,
            tmp_path,
            "--suite",
            "consumer",
            "--tags",
            "interaction:search_slot and req:SSP-URL-01",
        )
    assert run.exit_code == 0, run.output
    assert run.results["summary"]["passed"] == 1


def supplier_commands(script: Path, patient_parameter: str) -> ConsumerUnderTestConfig:
    run_script = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    common = (
        "--ssp {ssp_url} --provider {provider_base_url} --from {consumer_asid} --to {provider_asid} --ca {ca_bundle}"
    )
    return ConsumerUnderTestConfig(
        trigger="command",
        search_slots=f"{run_script} slots {common} --service {{service_id}}",
        search_appointments=f"{run_script} appointments {common} --nhs {{nhs_number}} --param {patient_parameter}",
    )


def supplier_target(demonstrator: Demonstrator, tmp_path: Path, patient_parameter: str) -> TargetConfig:
    script = tmp_path / "my_consumer.py"
    script.write_text(SCRIPT.read_text())
    target = demonstrator.config
    return replace(
        target,
        name="Supplier script consumer",
        consumer_under_test=supplier_commands(script, patient_parameter),
        consumer=replace(target.consumer, endpoint_url="https://supplier.example/"),
    )


def test_a_supplier_listing_appointments_with_the_wrong_parameter_fails(tmp_path: Path) -> None:
    """Observed: a consumer searching with the wrong parameter (400 from the provider, exit 1) passed."""
    with Demonstrator() as demonstrator:
        config = supplier_target(demonstrator, tmp_path, "patient")
        run = run_against(config, tmp_path, "--suite", "consumer", "--tags", "interaction:search_appointment")
    assert (run.exit_code, run.verdict) == (1, "FAIL"), run.output
    assert run.requirements_with("failed") == {"CON-SEARCH-01"}
    (scenario,) = run.failed_scenarios
    texts = " ".join(f["actual"] for f in scenario["findings"])
    assert "Appointment.participant.actor:Patient.identifier" in texts  # the request was not the specified one
    assert "HTTP 400" in texts and "exit status 1" in texts  # the provider refused it and the consumer said so


def test_the_same_supplier_with_the_specified_parameter_passes(tmp_path: Path) -> None:
    with Demonstrator() as demonstrator:
        config = supplier_target(demonstrator, tmp_path, "Appointment.participant.actor:Patient.identifier")
        run = run_against(config, tmp_path, "--suite", "consumer", "--tags", "interaction:search_appointment")
    assert run.exit_code == 0, run.output
    assert "CON-SEARCH-01" in run.requirements_with("passed")


def test_an_ssp_that_cannot_reach_the_provider_is_an_error_never_a_pass(tmp_path: Path) -> None:
    """Observed: with the virtual SSP answering 502 to everything, 'Searching for free slots' passed."""
    (tmp_path / "demo").mkdir()
    with Demonstrator(workdir=tmp_path / "demo") as demonstrator:  # its CA stays after it stops
        config = supplier_target(demonstrator, tmp_path, "Appointment.participant.actor:Patient.identifier")
    # The demonstrator is stopped now: the virtual SSP forwards to a provider that is gone.
    run = run_against(config, tmp_path, "--suite", "consumer", "--tags", "interaction:search_slot and not req:TLS-02")
    assert (run.exit_code, run.verdict) == (3, "INCOMPLETE"), run.output
    (scenario,) = run.results["scenarios"]
    assert scenario["status"] == "error"
    assert "could not be reached" in scenario["message"]
    assert run.results["errors"] and run.requirements_with("failed") == set()


def test_a_target_with_only_the_consumer_sections_is_assured_in_full(tmp_path: Path) -> None:
    """No [provider]: the virtual SSP forwards to an embedded demonstrator started for the run."""
    commands = reference_consumer()
    config = tmp_path / "consumer.toml"
    lines = ['name = "A consumer"', "[consumer]", 'asid = "200000000359"', "[patient]", 'nhs_number = "9434765919"']
    lines += ["[consumer_under_test]", *(f"{k} = {json.dumps(v)}" for k, v in _commands(commands).items())]
    config.write_text("\n".join(lines) + "\n")
    run = run_suite(tmp_path / "report", "--config", str(config), "--suite", "consumer")
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    assert run.results["summary"]["not_tested"] == run.results["summary"]["error"] == 0
    assert {"CON-SLOT-01", "CON-BOOK-01", "CON-READ-01", "CON-CANCEL-01"} <= run.requirements_with("passed")


def _commands(commands: ConsumerUnderTestConfig) -> dict[str, object]:
    keys = ("trigger", "search_slots", "book", "cancel", "read", "search_appointments", "check_exemption")
    return {key: getattr(commands, key) for key in keys} | {
        "slow_response_s": commands.slow_response_s,
        "fallback_within_s": commands.fallback_within_s,
    }
