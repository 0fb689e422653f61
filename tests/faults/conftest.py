"""One run of every suite against the clean demonstrator, shared by the tests that judge it.

The run is the longest the tests make (every scenario, matrices included), so the clean-run verdict
and the artefact tests read the same one; they share an xdist group so it is made once per test run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suite_runner import SuiteRun, run_suite

CLEAN_RUN_GROUP = pytest.mark.xdist_group("clean-full-run")


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, Path]:
    directory = tmp_path_factory.mktemp("clean") / "report"
    return run_suite(directory), directory
