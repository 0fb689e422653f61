"""The harness against targets that misbehave: no traceback, bounded time, every artefact written, a
clear message, and no patient identifier or token in any file (tests/robustness/misbehaving.py)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from spine_conformance.config.model import TargetConfig
from tests.robustness.misbehaving import BEHAVIOURS, Target, answer, serve

RUN_BOUND_S = 120  # far above what any of these needs with timeout_s = 2; a hang fails the test
ARTEFACTS = ("results.json", "report.html", "rtm.csv", "junit.xml", "manifest.json")
CLASS_NAMES = re.compile(
    r"Traceback|spine_conformance\.|\b(Connect|Read|RemoteProtocol|SSL|Recursion)\w*(Error|Timeout)\b"
)
TOKEN = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.")
PATIENT = TargetConfig().patient
CAPABILITY = b'{"resourceType": "CapabilityStatement", "status": "active", "fhirVersion": "3.0.1"}'
# Kinds where nothing comes back to judge: the run must say so once, as an error of the run.
UNJUDGEABLE = {"refused", "unresolvable", "never speaks TLS", "never answers", "drips its headers", "answers 200 MB"}


@contextmanager
def closed_port() -> Iterator[Target]:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    yield Target(f"https://127.0.0.1:{port}/STU3/1", Path("/nonexistent"))


@contextmanager
def unresolvable() -> Iterator[Target]:
    yield Target("https://spine-conformance-test.invalid/STU3/1", Path("/nonexistent"))


def target_for(kind: str, directory: Path):  # type: ignore[no-untyped-def]
    if kind == "refused":
        return closed_port()
    if kind == "unresolvable":
        return unresolvable()
    if kind == "never speaks TLS":
        return serve(None, directory)
    if kind in ("untrusted", "wrong-host", "expired", "plain"):
        return serve(answer("200 OK", CAPABILITY), directory, tls=kind)
    return serve(BEHAVIOURS[kind], directory)


KINDS = ["refused", "unresolvable", "never speaks TLS", "untrusted", "wrong-host", "expired", "plain", *BEHAVIOURS]


@pytest.mark.parametrize("kind", KINDS)
def test_a_misbehaving_target_gets_a_clear_bounded_fully_reported_verdict(kind: str, tmp_path: Path) -> None:
    with target_for(kind, tmp_path) as target:
        config = tmp_path / "target.toml"
        ca = f'ca_bundle = "{target.ca_path}"\n' if target.ca_path.is_file() else ""
        config.write_text(
            f'name = "Misbehaving: {kind}"\n[provider]\nbase_url = "{target.base_url}"\nasid = "918999198993"\n'
            f'healthcare_service = "918999198999"\n[tls]\n{ca}[http]\ntimeout_s = 2\n'
        )
        report = tmp_path / "report"
        run = subprocess.run(
            [sys.executable, "-m", "spine_conformance", "run", "--config", str(config), "--suite", "provider",
             "--tags", "req:META-01 or req:TLS-01", "--report-dir", str(report)],
            capture_output=True, text=True, timeout=RUN_BOUND_S, check=False,
        )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode in (1, 3), output
    assert not CLASS_NAMES.search(output), output
    for name in ARTEFACTS:
        assert (report / name).is_file(), name
    import json

    results = json.loads((report / "results.json").read_text())
    for scenario in results["scenarios"]:
        if scenario["status"] != "passed":
            assert scenario["message"] and not CLASS_NAMES.search(scenario["message"]), scenario
    if kind in UNJUDGEABLE:
        assert results["verdict"]["status"] == "INCOMPLETE" and results["errors"], output
        assert (
            len(results["errors"]) == 1
            and target.base_url.split("/STU3")[0].split("//")[1].split(":")[0] in (results["errors"][0]["cause"])
        )
    for path in report.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            assert PATIENT.nhs_number not in text and not TOKEN.search(text), path
