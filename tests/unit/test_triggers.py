"""Triggers: command templates are filled safely, the manual trigger waits boundedly."""

from __future__ import annotations

import sys

import pytest

from spine_conformance.config.model import ConsumerUnderTestConfig
from spine_conformance.findings import NotTestable
from spine_conformance.virtual.triggers import CommandTrigger, ManualTrigger, make_trigger


def test_command_values_are_shell_quoted() -> None:
    config = ConsumerUnderTestConfig(
        search_slots=f"{sys.executable} -c 'import sys; print(sys.argv[1])' {{service_id}}"
    )
    result = CommandTrigger(config).perform("search_slots", {"service_id": "a b; echo pwned"})
    assert result.exit_code == 0
    assert result.output.strip() == "a b; echo pwned"


def test_missing_command_and_unknown_placeholder_are_not_testable() -> None:
    with pytest.raises(NotTestable, match=r"consumer_under_test\.read is not configured"):
        CommandTrigger(ConsumerUnderTestConfig()).perform("read", {})
    with pytest.raises(NotTestable, match="unknown placeholder"):
        CommandTrigger(ConsumerUnderTestConfig(read="x {nope}")).perform("read", {})


def test_a_command_that_hangs_is_stopped_and_reported() -> None:
    config = ConsumerUnderTestConfig(
        read=f"{sys.executable} -c 'import threading; threading.Event().wait(30)'", action_timeout_s=0.5
    )
    result = CommandTrigger(config).perform("read", {})
    assert result.timed_out and result.exit_code is None


def test_manual_trigger_tells_the_tester_and_waits_for_the_consumer(capsys: pytest.CaptureFixture[str]) -> None:
    waited: list[float] = []

    def done(timeout: float) -> bool:
        waited.append(timeout)
        return True

    config = ConsumerUnderTestConfig(trigger="manual", manual_timeout_s=12)
    trigger = make_trigger(config, done)
    assert isinstance(trigger, ManualTrigger)
    result = trigger.perform("cancel", {"appointment_id": "A-1"})
    assert waited == [12]
    assert result.exit_code == 0 and not result.timed_out
    assert "cancel appointment A-1" in capsys.readouterr().err


def test_manual_trigger_reports_when_nothing_happened() -> None:
    trigger = make_trigger(ConsumerUnderTestConfig(trigger="manual"), lambda timeout: False)
    assert trigger.perform("read", {"appointment_id": "x"}).timed_out
