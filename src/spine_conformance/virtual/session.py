"""One scenario's view of the consumer under test: make it act, and collect what it sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import NotTestable
from spine_conformance.http import ExchangeLog
from spine_conformance.http.exchange import Exchange
from spine_conformance.virtual.journal import Journal, RecordedRequest
from spine_conformance.virtual.services import VirtualServices
from spine_conformance.virtual.states import described
from spine_conformance.virtual.states import state as state_of
from spine_conformance.virtual.triggers import ActionResult, make_trigger

APPOINTMENT_ACTIONS = ("search_slots", "book", "cancel", "read", "search_appointments")


@dataclass(frozen=True)
class Observed:
    """An action and everything the consumer sent while performing it."""

    result: ActionResult
    requests: list[RecordedRequest] = field(default_factory=list)
    state: str = ""  # the state the consumer was put into (virtual.states), "" for none
    parameters: dict[str, str] = field(default_factory=dict)  # the values the action was given


class ConsumerSession:
    def __init__(self, target: TargetConfig, services: VirtualServices, log: ExchangeLog) -> None:
        self.target = target
        self.services = services
        self.log = log

    def parameters(self, state: str = "", **overrides: str) -> dict[str, str]:
        patient, exemption = self.target.patient, self.target.exemption
        values = {
            "ssp_url": self.services.ssp_url,
            "provider_base_url": self.target.provider.base_url,
            "provider_asid": self.target.provider.asid,
            "consumer_asid": self.target.consumer.asid,
            "service_id": self.target.provider.healthcare_service,
            "nhs_number": patient.nhs_number,
            "appointment_id": "",
            "exemption_url": self.services.rtec_url,
            "prescription_id": exemption.prescription_id,
            "dob": patient.birth_date,
            "surname": patient.family,
            "postcode": patient.postcode,
            "ca_bundle": str(self.services.ca_bundle),
            "state_dir": str(self.services.state_dir),
            "ods_code": self.target.consumer.ods_code,
        }
        values = {**values, **overrides}
        return {**values, "state": state, "state_description": described(state, values)}

    def journal_for(self, action: str, ssp: str = "ssp") -> Journal:
        """The journal of the service the action goes to: the virtual SSP or RTEC, or (``ssp`` naming one
        of ``BAD_CERTIFICATES``) its twin presenting that bad certificate."""
        if action not in APPOINTMENT_ACTIONS:
            return self.services.rtec.journal if ssp == "ssp" else self.services.bad_rtecs[ssp].journal
        return self.services.ssp.journal if ssp == "ssp" else self.services.bad_ssps[ssp].journal

    def act(self, action: str, ssp: str = "ssp", state: str = "", **overrides: str) -> Observed:
        if action in APPOINTMENT_ACTIONS and not (self.target.provider.base_url and self.target.provider.asid):
            raise NotTestable(
                "appointments consumer scenarios need [provider] base_url and asid: the virtual SSP "
                "forwards the consumer's requests to that provider"
            )
        self.require_state(state)
        journal = self.journal_for(action, ssp)
        mark = journal.mark()
        for stray in journal.strays(mark):  # reported with this scenario, never silently dropped
            exchange = stray.as_exchange(self._origin(stray, ssp))
            exchange.label = "stray request: arrived while no scenario was waiting for one"
            self.log.add(exchange)
        quiet = self.target.consumer_under_test.quiet_period_s
        trigger = make_trigger(
            self.target.consumer_under_test, lambda timeout: self._acted(journal, mark, timeout, quiet)
        )
        parameters = self.parameters(state, **overrides)
        result = trigger.perform(action, parameters)
        requests = journal.since(mark)
        self._record(result, requests, ssp)
        return Observed(result, requests, state, parameters)

    def require_state(self, state: str) -> None:
        """Not testable when the consumer has declared it cannot be put into ``state``."""
        if state and state in self.target.consumer_under_test.unsupported_states:
            known = state_of(state)
            raise NotTestable(
                f"the consumer under test cannot be put into the state {state!r} ({known.rule}): it is listed "
                f"in consumer_under_test.unsupported_states, so {known.requirement} is not verified in this state"
            )

    @staticmethod
    def _acted(journal: Journal, mark: int, timeout_s: float, quiet_s: float) -> bool:
        """For a person at the keyboard: the first request, then every further one until it goes quiet."""
        if not journal.wait_for(mark, bool, timeout_s):
            return False
        while True:
            if not journal.wait_for(mark, _more_than(len(journal.peek(mark))), quiet_s):
                return True

    def watch(self, journal: Journal, seconds: float) -> list[RecordedRequest]:
        """Requests that arrive within ``seconds`` with nobody asking (a bounded observation window)."""
        mark = journal.mark()
        journal.wait_for(mark, bool, seconds)
        return journal.since(mark)

    def _record(self, result: ActionResult, requests: list[RecordedRequest], ssp: str) -> None:
        action = Exchange(
            f"consumer action {result.action}",
            "RUN",
            result.command,
            [],
            b"",
            time.time(),
            interaction="consumer_action",
        )
        action.status = result.exit_code if result.exit_code is not None else -1
        action.response_body = result.output.encode()
        action.elapsed_s = result.duration_s
        action.error = "timed out" if result.timed_out else ""
        self.log.add(action)
        for request in requests:
            self.log.add(request.as_exchange(self._origin(request, ssp)))

    def _origin(self, request: RecordedRequest, ssp: str) -> str:
        if request.service.startswith("rtec"):
            url = self.services.rtec_url if ssp == "ssp" else self.services.bad_rtec_url(ssp)
            return url.split("/rtec-api-gateway")[0]
        return (self.services.ssp_url if ssp == "ssp" else self.services.bad_ssp_url(ssp)).rstrip("/")


def _more_than(count: int) -> Callable[[list[RecordedRequest]], bool]:
    return lambda requests: len(requests) > count
