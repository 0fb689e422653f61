"""Every check can fail: each demonstrator fault makes the suite fail exactly its requirements.

Each fault is run only against the scenarios tagged with the requirements it concerns, and the
suite must then report those it violates failed, and no others; a fault against a rule no
published source makes normative must draw an advisory finding on its requirement and fail nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spine_conformance.config.model import SpecChoices
from spine_conformance.config.rules import ASSURANCE_PROFILES
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.demonstrator.faults import FAULTS, Fault
from tests.suite_runner import run_suite, write_target

SUITE_OF_COMPONENT = {"provider": "provider", "ssp": "provider", "validator": "provider", "rtec": "exemption"}
DEMONSTRATOR_FAULTS = sorted(
    (fault for fault in FAULTS.values() if fault.component in SUITE_OF_COMPONENT), key=lambda f: f.name
)


@pytest.mark.parametrize("fault", DEMONSTRATOR_FAULTS, ids=lambda fault: fault.name)
def test_fault_fails_exactly_its_requirements(fault: Fault, tmp_path: Path) -> None:
    tags = " or ".join(f"req:{requirement}" for requirement in fault.requirements)
    if tags and fault.tags:  # a matrix fault shows on one interaction as well as on six: try a few
        tags = f"({tags}) and ({fault.tags})"
    selection = ["--tags", tags] if tags else []  # a fault that leaves nothing to judge: the whole suite
    with Demonstrator(
        faults=[fault.name], spec=SpecChoices(edition=fault.edition, profiles=ASSURANCE_PROFILES)
    ) as demonstrator:
        config = write_target(demonstrator.config, tmp_path)
        run = run_suite(
            tmp_path / "report", "--config", str(config), "--suite", SUITE_OF_COMPONENT[fault.component], *selection
        )
    if fault.errors:  # no answer in time is the run's error (INCOMPLETE), never a failure
        assert (run.exit_code, run.verdict) == (3, "INCOMPLETE"), run.output
        assert run.results["errors"] and not run.requirements_with("failed"), run.output
        return
    # An advisory-only fault fails nothing: PASS, or INCOMPLETE where the tag selection left a MUST unjudged.
    assert run.exit_code in ((1,) if fault.violates else (0, 3)), run.output
    assert run.requirements_with("failed") == set(fault.violates), run.output
    assert set(fault.advises) <= run.requirements_advised(), run.output
    for scenario in run.failed_scenarios:
        assert scenario["message"], f"a failed scenario must say why: {scenario}"
        assert {f["requirement"] for f in scenario["findings"]} <= set(fault.violates)
