"""A provider that authenticates clients by certificate: TLS-03 verified, and out of scope otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import NOT_MATRIX, run_against


def test_the_provider_suite_passes_against_the_demonstrator_in_mutual_tls_mode(tmp_path: Path) -> None:
    with Demonstrator(mutual_tls=True) as demonstrator:
        run = run_against(demonstrator.config, tmp_path, "--suite", "provider", *NOT_MATRIX)
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    assert {"TLS-01", "TLS-03", "TLS-04"} <= run.requirements_with("passed")
    assert run.results["summary"]["skipped"] == run.results["summary"]["not_tested"] == 0
    for scenario in run.results["scenarios"]:  # every tag judged on the passing path (TLS-03 included)
        assert set(scenario["requirements"]) <= set(scenario["evaluated"]), scenario["name"]

    # Every TLS scenario keeps the certificates presented on its connections, by either side.
    report = tmp_path / "report"
    expired = [s for s in run.results["scenarios"] if "an expired client certificate" in s["name"]]
    assert expired
    for scenario in expired:
        evidence = json.loads((report / scenario["evidence"][0]).read_text("utf-8"))
        presented = [c for e in evidence["exchanges"] for c in e.get("certificates", [])]
        assert {c["role"] for c in presented} == {"server", "client"}
        assert any(c["role"] == "client" and c["expired"] for c in presented)
        assert all(c["subject"] and c["issuer"] and c["names"] and c["not_after"] for c in presented)
    html = (report / "report.html").read_text("utf-8")
    assert "TLS certificates presented" in html and "spine-conformance-harness.invalid" in html


def test_without_a_client_certificate_mutual_tls_is_out_of_scope_not_a_gap(tmp_path: Path) -> None:
    with Demonstrator() as demonstrator:
        run = run_against(demonstrator.config, tmp_path, "--suite", "provider", "--tags", "req:TLS-03 or req:TLS-04")
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    (tls_03,) = [r for r in run.results["requirements"] if r["id"] == "TLS-03"]
    assert not tls_03["in_scope"] and "authenticates clients by certificate" in tls_03["reason"]
    assert "TLS-04" in run.requirements_with("passed")
    skipped = [s for s in run.results["scenarios"] if s["status"] == "skipped"]
    assert len(skipped) == 6 and all("[tls] client_cert" in s["message"] for s in skipped)
