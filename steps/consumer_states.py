"""Consumer suite steps for the RTEC client functional requirements: the consumer put into a state first.

A "no request" verdict needs proof that the consumer's checks reach the virtual service at all: a
control check of an ordinary adult's prescription, once per session (``require_rtec_control``).
"""

from __future__ import annotations

import threading
import time

from pytest_bdd import given, parsers, then, when

from spine_conformance.checks.consumer_actions import require_acted
from spine_conformance.checks.consumer_exemption import check_exactly, require_control
from spine_conformance.checks.rtec_client import (
    REUSE_SPACING_S,
    check_as_recorded,
    check_checked,
    check_new_tokens,
    check_requesting_organization,
    check_second_prescription,
    check_unavailable_notice,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption.fields import new_prescription_id
from spine_conformance.virtual.session import ConsumerSession, Observed
from spine_conformance.virtual.states import STATES

from .consumer_exemption import adult_check

# Patient details a state needs besides the ordinary adult's.
STATE_PATIENT = {"non-ascii-demographics": {"surname": "Brontë"}}
# A family name with the punctuation a record may hold, for RTEC-REQ-06.
PUNCTUATED_SURNAME = "O'Brien-Smith"
CONTROL = "rtec-state-control"


def require_rtec_control(session: ConsumerSession, target: TargetConfig) -> None:
    """An ordinary adult's check must reach the service (once a session), or silence proves nothing."""
    if CONTROL in session.services.controls:
        return
    require_control(adult_check(session, target).requests, "an ordinary adult patient's check")
    session.services.controls.add(CONTROL)


@when(
    parsers.parse("the consumer under test is asked to check an adult's exemption in the state {state}"),
    target_fixture="observed",
)
def check_in_state(consumer_session: ConsumerSession, target: TargetConfig, state: str) -> Observed:
    consumer_session.require_state(state)  # before the control: an unsupported state needs none
    require_rtec_control(consumer_session, target)
    return adult_check(consumer_session, target, state=state, **STATE_PATIENT.get(state, {}))


@given("the consumer under test checked an adult's prescription when dispensing it", target_fixture="dispensed")
def dispensed_and_checked(consumer_session: ConsumerSession, target: TargetConfig) -> Observed:
    consumer_session.require_state("claim-amendment")
    dispensed = adult_check(consumer_session, target)
    require_control(dispensed.requests, "the check made when dispensing the prescription")
    return dispensed


@when("the consumer under test amends that prescription's claim", target_fixture="observed")
def amend_claim(consumer_session: ConsumerSession, target: TargetConfig, dispensed: Observed) -> Observed:
    same = {name: dispensed.parameters[name] for name in ("nhs_number", "surname", "dob", "postcode")}
    return adult_check(
        consumer_session,
        target,
        state="claim-amendment",
        prescription_id=dispensed.parameters["prescription_id"],
        **same,
    )


@when("the consumer under test checks two prescriptions of the same adult patient", target_fixture="observed")
def check_two_prescriptions(consumer_session: ConsumerSession, target: TargetConfig) -> Observed:
    first = adult_check(consumer_session, target)
    require_control(first.requests, "the check of the patient's first prescription")
    # Tokens are told apart by their iat (whole seconds): the second check starts at least REUSE_SPACING_S
    # after the first arrived, so a token minted for it cannot equal the first one.
    started = first.requests[-1].received_at
    threading.Event().wait(max(0.0, started + REUSE_SPACING_S + 0.5 - time.time()))
    same = {name: first.parameters[name] for name in ("nhs_number", "surname", "dob", "postcode")}
    second = adult_check(consumer_session, target, prescription_id=new_prescription_id(), **same)
    return Observed(second.result, first.requests + second.requests, "", second.parameters)


@when(
    "the consumer under test checks the exemption of a patient whose surname has an apostrophe and a hyphen",
    target_fixture="observed",
)
def check_punctuated(consumer_session: ConsumerSession, target: TargetConfig) -> Observed:
    observed = adult_check(consumer_session, target, surname=PUNCTUATED_SURNAME)
    require_acted(observed.requests, observed.result, "check an exemption")
    return observed


@then("it sent no request to the exemption service for that prescription")
def no_request_in_state(observed: Observed) -> None:
    known = STATES[observed.state]
    check_exactly(observed.requests, 0, known.requirement, f"in the state {observed.state} ({known.rule})")


@then("it checked that prescription without being asked to")
def checked_automatically(observed: Observed) -> None:
    known = STATES[observed.state]
    check_checked(
        observed.requests,
        observed.parameters["prescription_id"],
        known.requirement,
        f"when it was dispensed in the state {observed.state} ({known.rule})",
    )


@then("it sent a request for the second prescription, with that prescription's id")
def second_prescription_checked(observed: Observed, target: TargetConfig) -> None:
    check_second_prescription(
        observed.requests,
        observed.result,
        observed.parameters["prescription_id"],
        target.consumer_under_test.fallback_pattern,
    )


@then("each request carried a token minted for it")
def tokens_new(observed: Observed) -> None:
    check_new_tokens(observed.requests)


@then("its token named the configured organisation as requesting_organization")
def organisation_named(observed: Observed, target: TargetConfig) -> None:
    require_acted(observed.requests, observed.result, "check an exemption")
    check_requesting_organization(observed.requests, target.consumer.ods_code)


@then("its request carried the surname and postcode as the patient's record has them")
def demographics_as_recorded(observed: Observed) -> None:
    check_as_recorded(observed.requests, observed.parameters["surname"], observed.parameters["postcode"])


@then("it told the user the exemption checking service is unavailable")
def told_unavailable(observed: Observed, target: TargetConfig) -> None:
    check_unavailable_notice(observed.result, observed.requests, target.consumer_under_test.unavailable_pattern)
