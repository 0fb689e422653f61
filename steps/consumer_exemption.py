"""Consumer suite steps for exemption checking: the virtual RTEC answers, the consumer must behave."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pytest_bdd import given, parsers, then, when

from spine_conformance.checks.consumer_actions import require_acted
from spine_conformance.checks.consumer_exemption import (
    check_exactly,
    check_fallback,
    check_refused_certificate,
    check_rtec_request,
    require_control,
)
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption.fields import new_prescription_id
from spine_conformance.http import ExchangeLog
from spine_conformance.virtual.session import ConsumerSession, Observed

ANSWERS = {
    "with the exemption found": "found",
    "with a 500 error": "error-500",
    "with a 503 error": "error-503",
    "more slowly than a client should wait": "slow",
    "with an invalid response": "invalid",
}
BAD_CERTIFICATES = {
    "for another host name": "wrong-host",
    "from a CA it was not given": "untrusted-ca",
    "that has expired": "expired",
}


def _born(age: int, today: date | None = None) -> str:
    """A date of birth that makes the patient exactly ``age`` today (a day past the birthday)."""
    today = today or datetime.now(UTC).date()
    year = today.year - age
    born = date(year, today.month, 1 if today.day == 1 else today.day - 1)
    return born.isoformat()


def adult_check(session: ConsumerSession, target: TargetConfig, **overrides: str) -> Observed:
    exemption = target.exemption
    patient = {
        "nhs_number": exemption.not_exempt_nhs_number,
        "surname": exemption.not_exempt_family,
        "dob": exemption.not_exempt_birth_date,
        "postcode": exemption.not_exempt_postcode,
        "prescription_id": new_prescription_id(),  # a fresh prescription: never checked before
    }
    return session.act("check_exemption", **{**patient, **overrides})  # (state=… passes through to act)


@given(parsers.parse("the exemption service answers {answer}"))
def service_answers(consumer_session: ConsumerSession, answer: str) -> None:
    consumer_session.services.rtec.answer_with(ANSWERS[answer])


@when("the consumer under test checks the exemption of an adult patient", target_fixture="observed")
def check_adult(consumer_session: ConsumerSession, target: TargetConfig) -> Observed:
    return adult_check(consumer_session, target)


@when(
    parsers.parse("the consumer under test checks the exemption of a patient aged {age:d}"), target_fixture="observed"
)
def check_aged(consumer_session: ConsumerSession, target: TargetConfig, age: int) -> Observed:
    # Control first: an adult's check must arrive, or "no request" for this patient proves nothing.
    require_control(adult_check(consumer_session, target).requests, "an adult patient's check")
    return adult_check(consumer_session, target, dob=_born(age))


@when("the consumer under test is asked twice to check the same prescription", target_fixture="observed")
def check_twice(consumer_session: ConsumerSession, target: TargetConfig) -> Observed:
    prescription = new_prescription_id()
    first = adult_check(consumer_session, target, prescription_id=prescription)
    second = adult_check(consumer_session, target, prescription_id=prescription)
    return Observed(second.result, first.requests + second.requests)


@when(
    parsers.parse(
        "the consumer under test checks an adult's exemption with a service presenting a certificate {which}"
    ),
    target_fixture="observed",
)
def check_through_bad_certificate(
    consumer_session: ConsumerSession, target: TargetConfig, exchange_log: ExchangeLog, which: str
) -> Observed:
    # Control first: the same check with the valid service must arrive, or silence proves nothing.
    require_control(adult_check(consumer_session, target).requests, "a check with a service whose certificate is valid")
    name = BAD_CERTIFICATES[which]
    url = consumer_session.services.bad_rtec_url(name)
    exchange_log.add(consumer_session.services.certificate_evidence(name, url))
    return adult_check(consumer_session, target, ssp=name, exemption_url=url)


@then(parsers.parse("no request reached the exemption service presenting a certificate {which}"))
def no_request_to_bad_service(observed: Observed, which: str) -> None:
    check_refused_certificate(observed.requests, which)


@then("its request was a JSON POST of the five fields, well formed, with the flat token and its ASID in Ssp-From")
def request_conforms(observed: Observed, target: TargetConfig, consumer_session: ConsumerSession) -> None:
    require_acted(observed.requests, observed.result, "check an exemption")
    for request in observed.requests:
        check_rtec_request(request, consumer_session.services.rtec_url, target.consumer.asid)


@then("it sent no request to the exemption service")
def no_request(observed: Observed) -> None:
    check_exactly(observed.requests, 0, "RTEC-CLI-01", "for a patient exempt by age")


@then("it sent exactly one request for that prescription")
def one_request(observed: Observed) -> None:
    # FR-31 forbids applying one answer to several prescriptions; nothing forbids asking twice, so advisory.
    check_exactly(observed.requests, 1, "RTEC-CLI-02", "for one prescription checked twice", advisory=True)


@then("no request arrives unprompted afterwards")
def no_polling(consumer_session: ConsumerSession, target: TargetConfig) -> None:
    later = consumer_session.watch(consumer_session.services.rtec.journal, target.consumer_under_test.quiet_period_s)
    check_exactly(later, 0, "RTEC-CLI-02", "while nobody asked for a check")


@then("it gave up promptly and reported the fallback to the paper declaration")
def fell_back(observed: Observed, target: TargetConfig) -> None:
    under_test = target.consumer_under_test
    check_fallback(observed.result, observed.requests, under_test.fallback_within_s, under_test.fallback_pattern)
