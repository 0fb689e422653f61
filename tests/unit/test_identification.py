"""[assurance] and the run options: what the evidence pack says was tested, and by whom."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spine_conformance.config import ConfigError, config_fingerprint, config_from_mapping
from spine_conformance.config.model import ProviderConfig, TargetConfig
from spine_conformance.results.identification import identification, new_run_id, parties


def test_assurance_keys_are_read_and_checked() -> None:
    config = config_from_mapping({"assurance": {"system": "Acme PAS", "tester": "Jo", "run_id": "R-1.2"}})
    assert (config.assurance.system, config.assurance.tester, config.assurance.run_id) == ("Acme PAS", "Jo", "R-1.2")
    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"assurance": {"tester": "two\nlines", "run_id": "has space", "sytem": "x"}})
    message = str(raised.value)
    assert "assurance.tester" in message and "assurance.run_id" in message and "assurance.sytem" in message


def test_who_ran_it_does_not_change_the_configuration_fingerprint() -> None:
    plain = config_from_mapping({"name": "Acme"})
    identified = config_from_mapping({"name": "Acme", "assurance": {"tester": "Jo", "environment": "INT"}})
    assert config_fingerprint(plain) == config_fingerprint(identified)


def test_options_override_the_file_and_a_run_id_is_made_when_none_is_given() -> None:
    target = config_from_mapping({"assurance": {"tester": "from the file", "environment": "INT"}})
    found = identification(target, ["exemption"], {"tester": "from the option", "unknown": "ignored"}, embedded=False)
    assert (found["tester"], found["environment"]) == ("from the option", "INT")
    assert found["run_id"] and "unknown" not in found
    assert new_run_id(datetime(2026, 12, 2, 5, 53, 41, tzinfo=UTC)).startswith("20261202T055341Z-")


def test_parties_are_those_of_the_suites_run() -> None:
    target = TargetConfig(provider=ProviderConfig(base_url="https://p.example/STU3/1", asid="918999198993"))
    assert [p["role"] for p in parties(target, ["provider"])] == ["provider", "harness"]  # no SSP configured
    assert [p["role"] for p in parties(target, ["exemption", "consumer"])] == ["rtec", "consumer"]
    provider = parties(target, ["provider"])[0]
    assert (provider["url"], provider["asid"]) == ("https://p.example/STU3/1", "918999198993")
    assert "url" not in parties(target, ["exemption"])[0]  # nothing configured: nothing claimed
