"""The exemption suite runs against a service described only by an [exemption] section."""

from __future__ import annotations

from pathlib import Path

from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import run_suite


def test_exemption_suite_needs_only_the_exemption_section(tmp_path: Path) -> None:
    with Demonstrator() as demonstrator:
        config = tmp_path / "rtec.toml"
        config.write_text(
            'name = "An RTEC service"\n'
            f'[exemption]\nurl = "{demonstrator.rtec_url}"\n'
            f'[tls]\nca_bundle = "{demonstrator.certificates.ca_path}"\n'
        )
        run = run_suite(tmp_path / "report", "--config", str(config), "--suite", "exemption")
    assert run.exit_code == 0, run.output
    assert run.verdict == "PASS"
    assert run.results["summary"]["failed"] == 0
    # What a service must answer; RTEC-REQ-* are what a client must send (the consumer suite's).
    verified = {
        "RTEC-RES-01",
        "RTEC-RES-02",
        "RTEC-RES-03",
        "RTEC-RES-04",
        "TLS-01",
    }
    assert verified <= run.requirements_with("passed")
