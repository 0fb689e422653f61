"""Every check can fail: each demonstrator fault makes the suite fail exactly its requirements.

Each fault is run only against the scenarios tagged with the requirements it violates, and the
suite must then report those requirements failed, and no others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.demonstrator.faults import FAULTS, Fault
from tests.suite_runner import run_suite, write_target

SUITE_OF_COMPONENT = {"provider": "provider", "ssp": "provider", "validator": "provider", "rtec": "exemption"}
DEMONSTRATOR_FAULTS = sorted(
    (fault for fault in FAULTS.values() if fault.component in SUITE_OF_COMPONENT), key=lambda f: f.name
)


@pytest.mark.parametrize("fault", DEMONSTRATOR_FAULTS, ids=lambda fault: fault.name)
def test_fault_fails_exactly_its_requirements(fault: Fault, tmp_path: Path) -> None:
    tags = " or ".join(f"req:{requirement}" for requirement in fault.violates)
    with Demonstrator(faults=[fault.name]) as demonstrator:
        config = write_target(demonstrator.config, tmp_path)
        run = run_suite(
            tmp_path / "report", "--config", str(config), "--suite", SUITE_OF_COMPONENT[fault.component], "--tags", tags
        )
    assert run.exit_code == 1, run.output
    assert run.requirements_with("failed") == set(fault.violates), run.output
    for scenario in run.failed_scenarios:
        assert scenario["message"], f"a failed scenario must say why: {scenario}"
        assert {f["requirement"] for f in scenario["findings"]} <= set(fault.violates)
