"""Every consumer check can fail: each reference-consumer fault fails exactly its requirement."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from spine_conformance.consumer.faults import FAULTS, ConsumerFault
from spine_conformance.demonstrator.consumer_profile import reference_consumer
from spine_conformance.demonstrator.embedded import Demonstrator
from tests.suite_runner import run_against


@pytest.fixture(scope="module")
def demonstrator() -> Demonstrator:
    with Demonstrator() as running:
        yield running


@pytest.mark.parametrize("fault", sorted(FAULTS.values(), key=lambda f: f.name), ids=lambda fault: fault.name)
def test_consumer_fault_fails_exactly_its_requirement(
    fault: ConsumerFault, demonstrator: Demonstrator, tmp_path: Path
) -> None:
    config = replace(demonstrator.config, consumer_under_test=reference_consumer([fault.name]))
    run = run_against(
        config,
        tmp_path,
        "--suite",
        "consumer",
        "--tags",
        f"req:{fault.violates}",
    )
    if fault.advisory:
        assert run.exit_code == 0, run.output
        assert run.requirements_with("failed") == set(), run.output
        assert fault.violates in run.requirements_advised(), run.output
        return
    assert run.exit_code == 1, run.output
    assert run.requirements_with("failed") == {fault.violates}, run.output
    for scenario in run.failed_scenarios:
        assert scenario["message"], scenario


def test_reference_consumer_passes_the_consumer_suite(demonstrator: Demonstrator, tmp_path: Path) -> None:
    run = run_against(demonstrator.config, tmp_path, "--suite", "consumer")
    assert run.exit_code == 0, run.output
    assert run.verdict == "PASS"
    assert run.results["summary"]["failed"] == run.results["summary"]["error"] == 0
    assert run.results["summary"]["passed"] >= 15
