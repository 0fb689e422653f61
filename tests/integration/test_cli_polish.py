"""Command-line defects observed by users, each pinned by a test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from spine_conformance.interactions import Interaction
from spine_conformance.suite_index import indexed_scenarios
from tests.integration.test_cli import cli


def test_an_unwritable_report_dir_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for command in (["run", "--suite", "exemption"], ["load", "--duration", "1s"]):
        result = cli(*command, "--report-dir", str(blocker / "reports"))
        assert result.returncode == 2, result.stderr
        assert "cannot write there" in result.stderr and "Traceback" not in result.stderr


def test_a_closed_pipe_ends_a_listing_quietly() -> None:
    # `requirements --format json | head -c 10`: more output than a pipe buffers, and a reader that leaves.
    process = subprocess.Popen(
        [sys.executable, "-m", "spine_conformance", "requirements", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_messages_name_interactions_as_the_tags_do() -> None:
    assert str(Interaction.READ_APPOINTMENT) == "read_appointment"
    assert f"{Interaction.SEARCH_SLOT}" == "search_slot"


def test_scenarios_lists_every_scenario_with_its_tags() -> None:
    result = cli("scenarios", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert len(listed) == len(indexed_scenarios())
    assert all(row["suite"] in ("provider", "exemption", "consumer") and row["tags"] for row in listed)


def test_scenarios_selects_with_a_tag_expression_and_a_suite() -> None:
    result = cli("scenarios", "--suite", "provider", "--tags", "req:TLS-01")
    assert result.returncode == 0, result.stderr
    assert "features/appointments/provider/tls.feature" in result.stdout
    assert "exemption" not in result.stdout.split("\n")[0] and result.stdout.rstrip().endswith("1 scenario(s)")


def test_a_mistyped_tag_names_the_nearest_tags() -> None:
    for command in ("scenarios", "run"):
        result = cli(command, "--tags", "req:TLS-1")
        assert result.returncode == 2
        assert "did you mean req:TLS-01" in result.stderr and "Traceback" not in result.stderr


def test_identification_options_are_checked_like_their_keys(tmp_path: Path) -> None:
    result = cli("run", "--suite", "exemption", "--run-id", "has space", "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2 and "--run-id" in result.stderr
    assert not (tmp_path / "r").exists()  # refused before anything was written


def test_progress_with_workers_counts_against_the_selection(tmp_path: Path) -> None:
    result = cli("run", "--suite", "exemption", "-n", "2", "--report-dir", str(tmp_path / "r"), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    total = len(json.loads((tmp_path / "r" / "results.json").read_text())["scenarios"])
    counters = re.findall(r"\b(\d+)/(\d+)\b", result.stdout)
    assert counters and {int(of) for _, of in counters} == {total}  # never "k/0"
    assert sorted(int(done) for done, _ in counters) == list(range(1, total + 1))
