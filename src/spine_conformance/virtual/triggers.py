"""Making the consumer under test act: a shell command, a tester at the keyboard, or an HTTP hook.

Every action's outcome (exit status, output, duration) is kept as evidence. Parameter values
are shell-quoted before they go into a command template. Every action also receives the state
the scenario puts the consumer in (``{state}``, ``{state_description}``; see :mod:`.states`):
empty for an ordinary action.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from spine_conformance.config.model import ConsumerUnderTestConfig
from spine_conformance.findings import HarnessError, NotTestable
from spine_conformance.redact import KEY_VARIABLE

PLACEHOLDERS = (
    "ssp_url",
    "provider_base_url",
    "provider_asid",
    "consumer_asid",
    "service_id",
    "nhs_number",
    "appointment_id",
    "exemption_url",
    "prescription_id",
    "dob",
    "surname",
    "postcode",
    "ca_bundle",
    "state_dir",
    "ods_code",
    "state",
    "state_description",
)
OUTPUT_LIMIT = 20_000
MANUAL_INSTRUCTIONS = {
    "search_slots": "search for free slots for service {service_id}",
    "book": "book a free slot of service {service_id} for the patient with NHS number {nhs_number}",
    "read": "open appointment {appointment_id}",
    "search_appointments": "list the appointments of the patient with NHS number {nhs_number}",
    "cancel": "cancel appointment {appointment_id}",
    "check_exemption": "dispense prescription {prescription_id} for {surname} (NHS number {nhs_number}, born {dob}, "
    "postcode {postcode}), checking its prescription exemption",
}


def instruction(action: str, parameters: Mapping[str, str]) -> str:
    """What a tester is asked to do: the action, and the situation the scenario puts the consumer in."""
    text = MANUAL_INSTRUCTIONS[action].format_map(dict(parameters))
    situation = parameters.get("state_description", "")
    return f"{text}, in this situation: {situation}" if situation else text


@dataclass(frozen=True)
class ActionResult:
    action: str
    trigger: str
    command: str
    exit_code: int | None
    output: str
    duration_s: float
    timed_out: bool = False
    # Wall-clock time the action ended (the consumer exited, the hook answered, the tester acted).
    finished_at: float = field(default_factory=time.time)

    @property
    def succeeded(self) -> bool:
        return not self.timed_out and self.exit_code == 0

    def outcome_text(self) -> str:
        status = "did not finish in time" if self.timed_out else f"exit status {self.exit_code}"
        tail = self.output.strip()[-300:]
        return f"{status} after {self.duration_s:.1f} s" + (f": {tail}" if tail else " (no output)")

    def as_text(self) -> str:
        status = "timed out" if self.timed_out else f"exit status {self.exit_code}"
        return f"{self.trigger} {self.action}: {status} after {self.duration_s:.2f} s\n{self.command}\n{self.output}"


class Trigger:
    """Base: ``perform`` returns once the consumer has done (or given up on) the action."""

    def __init__(self, config: ConsumerUnderTestConfig) -> None:
        self.config = config

    def perform(self, action: str, parameters: Mapping[str, str]) -> ActionResult:
        raise NotImplementedError


class CommandTrigger(Trigger):
    def perform(self, action: str, parameters: Mapping[str, str]) -> ActionResult:
        template = self.config.command(action)
        if not template:
            raise NotTestable(
                f"consumer_under_test.{action} is not configured: give the shell command that makes "
                f"the consumer {MANUAL_INSTRUCTIONS[action].split(' {')[0]}"
            )
        quoted = {name: shlex.quote(value) for name, value in parameters.items()}
        try:
            command = template.format(**quoted)
        except (KeyError, IndexError, ValueError) as error:
            raise NotTestable(
                f"consumer_under_test.{action} uses an unknown placeholder {error}; "
                f"known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            ) from None
        began = time.monotonic()
        # Its own process group, so a timeout stops everything the command started, not just the shell;
        # and an environment without the run's redaction key, which is none of the consumer's business.
        process = subprocess.Popen(
            command,
            shell=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env=_consumer_environment(),
        )
        try:
            output, _ = process.communicate(timeout=self.config.action_timeout_s)
        except subprocess.TimeoutExpired:
            _stop_group(process)
            output, _ = process.communicate()
            return ActionResult(
                action,
                "command",
                command,
                None,
                _text(output)[-OUTPUT_LIMIT:],
                time.monotonic() - began,
                timed_out=True,
            )
        except BaseException:
            # Ctrl-C, SIGTERM, a harness error: the consumer's processes must not outlive the run.
            _stop_group(process)
            raise
        return ActionResult(
            action, "command", command, process.returncode, _text(output)[-OUTPUT_LIMIT:], time.monotonic() - began
        )


class HttpTrigger(Trigger):
    def __init__(self, config: ConsumerUnderTestConfig, trust: ssl.SSLContext | None = None) -> None:
        super().__init__(config)
        self.trust = trust or ssl.create_default_context()  # the target's [tls] settings, verification on

    def perform(self, action: str, parameters: Mapping[str, str]) -> ActionResult:
        began = time.monotonic()
        # The state is also given on its own, so a hook can dispatch on it without reading every parameter.
        state = {"name": parameters.get("state", ""), "description": parameters.get("state_description", "")}
        payload = {"action": action, "state": state, "parameters": dict(parameters)}
        try:
            answer = httpx.post(
                self.config.hook_url, json=payload, timeout=self.config.action_timeout_s, verify=self.trust
            )
        except httpx.TimeoutException:
            return ActionResult(action, "http", self.config.hook_url, None, "", time.monotonic() - began, True)
        except httpx.HTTPError as error:
            raise HarnessError(
                f"the consumer's hook {self.config.hook_url} could not be called: {error}",
                f"the consumer's hook {self.config.hook_url} could not be called",
            ) from None
        return ActionResult(
            action,
            "http",
            f"POST {self.config.hook_url} {json.dumps(payload)}",
            0 if answer.is_success else answer.status_code,
            answer.text[-OUTPUT_LIMIT:],
            time.monotonic() - began,
        )


class ManualTrigger(Trigger):
    """Tells the tester what to do, then waits (bounded) until ``done`` says the consumer acted."""

    def __init__(self, config: ConsumerUnderTestConfig, done: Callable[[float], bool]) -> None:
        super().__init__(config)
        self.done = done

    def perform(self, action: str, parameters: Mapping[str, str]) -> ActionResult:
        asked = instruction(action, parameters)
        sys.stderr.write(
            f"\n>>> In the consumer under test, please {asked}.\n"
            f"    (waiting up to {self.config.manual_timeout_s:g} s)\n"
        )
        sys.stderr.flush()
        began = time.monotonic()
        acted = self.done(self.config.manual_timeout_s)
        return ActionResult(
            action, "manual", asked, 0 if acted else None, "", time.monotonic() - began, timed_out=not acted
        )


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Kill the command and everything it started (its own process group), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _consumer_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != KEY_VARIABLE}


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def make_trigger(
    config: ConsumerUnderTestConfig, done: Callable[[float], bool], trust: ssl.SSLContext | None = None
) -> Trigger:
    if config.trigger == "http":
        return HttpTrigger(config, trust)
    if config.trigger == "manual":
        return ManualTrigger(config, done)
    return CommandTrigger(config)
