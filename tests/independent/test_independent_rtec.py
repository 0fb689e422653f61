"""The exemption suite against an RTEC service this project did not build (tests/independent/rtec_service.py).

Observed before: a service that accepted a malformed request or served without a token was
reported under RTEC-REQ-02/03, what a *client* must send, instead of the service's own RTEC-RES-03/04.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.independent.rtec_service import SEARCH_PATH, RtecService
from tests.independent.servers import https_server
from tests.suite_runner import SuiteRun, run_suite


def run_exemption_suite(handler: type[RtecService], tmp_path: Path) -> SuiteRun:
    with https_server(handler, tmp_path) as server:
        config = tmp_path / "rtec.toml"
        config.write_text(
            f'name = "Independent RTEC service"\n[exemption]\nurl = "{server.origin}{SEARCH_PATH}"\n'
            f'[tls]\nca_bundle = "{server.ca_path}"\n'
        )
        return run_suite(tmp_path / "report", "--config", str(config), "--suite", "exemption")


class Permissive(RtecService):
    checks_requests = False


class Tokenless(RtecService):
    checks_tokens = False


def test_a_service_written_from_the_spec_passes(tmp_path: Path) -> None:
    run = run_exemption_suite(RtecService, tmp_path)
    assert (run.exit_code, run.verdict) == (0, "PASS"), run.output
    # It does not validate check digits or postcodes (RTEC publishes no such rule): advisory only.
    assert "RTEC-RES-03" in run.requirements_advised()


@pytest.mark.parametrize(
    ("handler", "broken"), [(Permissive, "RTEC-RES-03"), (Tokenless, "RTEC-RES-04")], ids=["unchecked", "tokenless"]
)
def test_a_service_that_breaks_its_contract_fails_its_own_requirement(
    handler: type[RtecService], broken: str, tmp_path: Path
) -> None:
    run = run_exemption_suite(handler, tmp_path)
    assert (run.exit_code, run.verdict) == (1, "FAIL"), run.output
    assert run.requirements_with("failed") == {broken}
    # What a client must send is not the service's to fail.
    assert not any(requirement.startswith("RTEC-REQ") for requirement in run.requirements_with("failed"))
