"""The states a consumer under test is put into: the registry, how an action receives them, declaring them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from spine_conformance.config import ConfigError, config_from_mapping
from spine_conformance.config.model import ConsumerUnderTestConfig, TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.requirements import catalogue
from spine_conformance.virtual.states import STATES, described, unknown_states
from spine_conformance.virtual.triggers import PLACEHOLDERS, CommandTrigger, instruction, make_trigger


def test_every_state_names_a_consumer_requirement_of_the_catalogue_and_its_rule() -> None:
    for state in STATES.values():
        requirement = catalogue()[state.requirement]
        assert requirement.role == "consumer" and requirement.interface == "exemption", state.name
        assert state.rule.startswith("PEC-FR-"), state.name


def test_every_state_dependent_client_requirement_has_a_state() -> None:
    covered = {state.requirement for state in STATES.values()}
    assert {"RTEC-CLI-04", "RTEC-CLI-05", "RTEC-CLI-06", "RTEC-CLI-07", "RTEC-CLI-08", "RTEC-CLI-09"} <= covered
    assert {"RTEC-CLI-11", "RTEC-CLI-12", "RTEC-REQ-05"} <= covered


def test_the_description_is_filled_with_the_actions_values() -> None:
    assert described("locum-user", {"ods_code": "A12345"}).endswith("working today for organisation A12345")
    assert "ABC-123" in described("claim-amendment", {"prescription_id": "ABC-123"})
    assert described("", {}) == ""


def test_the_state_placeholders_are_documented_placeholders() -> None:
    assert {"state", "state_description", "ods_code"} <= set(PLACEHOLDERS)


def test_a_command_receives_the_state_shell_quoted() -> None:
    config = ConsumerUnderTestConfig(
        check_exemption=f"{sys.executable} -c 'import sys; print(sys.argv[1:])' {{state}} {{state_description}}"
    )
    description = described("patient-sensitive", {})
    result = CommandTrigger(config).perform(
        "check_exemption", {"state": "patient-sensitive", "state_description": description}
    )
    assert result.output.strip() == repr(["patient-sensitive", description])


def test_the_tester_reads_the_situation(capsys: pytest.CaptureFixture[str]) -> None:
    parameters = {
        "prescription_id": "P1",
        "surname": "Parker",
        "nhs_number": "9434765919",
        "dob": "1980-01-01",
        "postcode": "NE3 2JH",
        "state": "eps-release-1",
        "state_description": described("eps-release-1", {}),
    }
    trigger = make_trigger(ConsumerUnderTestConfig(trigger="manual"), lambda timeout: True)
    trigger.perform("check_exemption", parameters)
    told = capsys.readouterr().err
    assert "dispense prescription P1 for Parker" in told
    assert "in this situation: the prescription is an EPS Release 1 prescription" in told
    assert instruction("read", {"appointment_id": "A1", "state": ""}) == "open appointment A1"


def test_the_hook_is_posted_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    posted: list[dict[str, object]] = []

    class Answer:
        is_success = True
        status_code = 200
        text = "done"

    def post(url: str, json: dict[str, object], **kwargs: object) -> Answer:
        posted.append(json)
        return Answer()

    monkeypatch.setattr("spine_conformance.virtual.triggers.httpx.post", post)
    trigger = make_trigger(ConsumerUnderTestConfig(trigger="http", hook_url="https://hook.example/act"), lambda t: True)
    trigger.perform("check_exemption", {"state": "claim-amendment", "state_description": "amending"})
    (payload,) = posted
    assert payload["state"] == {"name": "claim-amendment", "description": "amending"}
    assert payload["parameters"] == {"state": "claim-amendment", "state_description": "amending"}
    json.dumps(payload)  # what goes over the wire


def test_unsupported_states_are_checked_against_the_known_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"consumer_under_test": {"unsupported_states": ["patient-sensitive", "no-such-state"]}})
    assert "consumer_under_test.unsupported_states: names unknown state(s) no-such-state" in str(raised.value)
    loaded = config_from_mapping({"consumer_under_test": {"unsupported_states": ["patient-sensitive"]}})
    assert loaded.consumer_under_test.unsupported_states == ("patient-sensitive",)
    assert unknown_states(("patient-sensitive", "x")) == ["x"]


def test_a_declared_state_makes_the_scenario_not_testable_with_the_reason(tmp_path: Path) -> None:
    from spine_conformance.http import ExchangeLog
    from spine_conformance.virtual.session import ConsumerSession

    target = TargetConfig(consumer_under_test=ConsumerUnderTestConfig(unsupported_states=("patient-sensitive",)))
    session = ConsumerSession(target, services=None, log=ExchangeLog())  # type: ignore[arg-type]
    session.require_state("patient-formally-deceased")  # not declared: goes ahead
    with pytest.raises(NotTestable) as raised:
        session.require_state("patient-sensitive")
    assert "'patient-sensitive' (PEC-FR-7)" in raised.value.reason
    assert "unsupported_states" in raised.value.reason and "RTEC-CLI-08" in raised.value.reason


def test_expired_client_certificate_comes_with_its_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"tls": {"expired_client_cert": ""}, "consumer_under_test": {"unavailable_pattern": "("}})
    assert "consumer_under_test.unavailable_pattern: is not a regular expression" in str(raised.value)
    pem = tmp_path / "cert.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"tls": {"expired_client_cert": str(pem)}})
    assert "tls.expired_client_key: required when tls.expired_client_cert is given" in str(raised.value)
