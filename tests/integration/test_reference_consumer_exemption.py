"""The reference consumer's exemption check against the demonstrator's RTEC service, one process per check.

Each test uses its own prescription id and state folder, so what the service received can be
told apart from every other test's requests in the shared demonstrator.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.demonstrator.rtec_app import ReceivedRequest
from spine_conformance.exemption.fields import mod37_2_check_character, request_problems
from spine_conformance.ssp import FROM
from spine_conformance.tokens import bearer_token, decode_unverified
from tests.reference_consumer_support import ConsumerRun, run_consumer

DIXON = {"--nhs-number": "9660981805", "--surname": "DIXON", "--dob": "2001-01-02", "--postcode": "DN18 5FB"}
NOT_EXEMPT = {"--nhs-number": "9000000009", "--surname": "Unexempt", "--dob": "1980-06-15", "--postcode": "LS1 4HR"}
FALLBACK_BOUND_S = 4.5  # the consumer gives up after 2 s; the rest is process start-up, generously


def prescription_id() -> str:
    """A fresh, valid EPS R2 short-form id (with its MOD 37-2 check character)."""
    hexdigits = "0123456789ABCDEF"
    body = "".join(random.choices(hexdigits, k=6)) + "".join(random.choices(string.digits + "ABCDEFGHIJKLMNOP", k=6))
    body += "".join(random.choices(hexdigits, k=5))
    check = mod37_2_check_character(body)
    return f"{body[:6]}-{body[6:12]}-{body[12:]}{check}"


def years_ago(years: int, days: int = 0) -> str:
    """The date of birth of someone ``years`` old today, moved ``days`` later."""
    today = date.today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February; 28 February makes them just as old today
        born = date(today.year - years, 2, 28)
    return (born + timedelta(days=days)).isoformat()


class Checker:
    """Runs check-exemption for one prescription against one RTEC URL, with one state folder."""

    def __init__(self, demo: Demonstrator, url: str, state_dir: Path, ca_path: Path | None = None) -> None:
        self.demo = demo
        self.url = url
        self.state_dir = state_dir
        self.ca_path = ca_path or demo.certificates.ca_path
        self.prescription_id = prescription_id()

    def run(self, patient: dict[str, str] = DIXON, *faults: str, state: str = "") -> ConsumerRun:
        words = [
            *("--exemption-url", self.url, "--ca-bundle", str(self.ca_path)),
            *("--state-dir", str(self.state_dir), "--prescription-id", self.prescription_id),
            *(word for option, value in patient.items() for word in (option, value)),
            *(("--state", state) if state else ()),
            *(word for fault in faults for word in ("--fault", fault)),
        ]
        return run_consumer("check-exemption", *words)


def received(demo: Demonstrator, checker: Checker) -> list[ReceivedRequest]:
    return [r for r in demo.rtec.received if checker.prescription_id.encode() in r.body]


@pytest.fixture
def checker(demo: Demonstrator, tmp_path: Path) -> Checker:
    return Checker(demo, demo.rtec_url, tmp_path)


def assert_falls_back(run: ConsumerRun) -> None:
    assert run.code == 0, run.stdout + run.stderr
    assert run.output["checked"] is True and run.output["exempt"] is None
    assert "declaration" in run.output["fallback"] and "declaration" in run.stderr


# -- the conformant consumer -------------------------------------------------------------------------
def test_an_exempt_patient_is_found_with_the_type(demo: Demonstrator, checker: Checker) -> None:
    run = checker.run()

    assert run.code == 0, run.stderr
    assert (run.output["checked"], run.output["exempt"], run.output["type"]) == (True, True, "0005")
    assert "0005" in run.stderr
    (request,) = received(demo, checker)
    body = json.loads(request.body)
    assert list(body) == ["dob", "nhsNumber", "postcode", "surname", "prescriptionId"]
    assert request_problems(body) == {}
    assert request.ssp_from == "200000000359"
    assert request.header("content-type") == "application/json"


def test_not_found_is_not_shown_as_no_exemption(checker: Checker) -> None:
    run = checker.run(NOT_EXEMPT)

    assert_falls_back(run)
    assert run.output["status"] == 404
    assert "no exemption" not in (run.stdout + run.stderr).lower()


@pytest.mark.parametrize(("years", "days"), [(10, 0), (16, 1), (60, 0), (75, 0)])
def test_patients_exempt_by_age_are_not_checked(demo: Demonstrator, checker: Checker, years: int, days: int) -> None:
    # (16, 1): born a day later than 16 years ago, so the 16th birthday is tomorrow.
    run = checker.run({**DIXON, "--dob": years_ago(years, days)})

    assert run.code == 0
    assert run.output["checked"] is False and run.output["reason"].startswith("exempt by age")
    assert received(demo, checker) == []


def test_a_patient_on_their_16th_birthday_is_checked(demo: Demonstrator, checker: Checker) -> None:
    run = checker.run({**NOT_EXEMPT, "--dob": years_ago(16)})

    assert run.output["checked"] is True
    assert len(received(demo, checker)) == 1


def test_a_prescription_is_checked_once(demo: Demonstrator, checker: Checker) -> None:
    first, second = checker.run(), checker.run()

    assert first.output["checked"] is True
    assert (second.code, second.output["checked"], second.output["reason"]) == (0, False, "already checked")
    assert len(received(demo, checker)) == 1


def test_malformed_patient_data_is_not_sent(demo: Demonstrator, checker: Checker) -> None:
    run = checker.run({**DIXON, "--nhs-number": "1234567890"})

    assert run.code == 2 and "nhsNumber" in run.stderr
    assert received(demo, checker) == []


# -- the service failing: fail fast and fall back ----------------------------------------------------
@pytest.fixture(params=["rtec-500", "rtec-503", "rtec-slow"])
def failing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Checker]]:
    with Demonstrator(faults=[request.param]) as broken:
        yield request.param, Checker(broken, broken.rtec_url, tmp_path)


def test_a_failing_service_falls_back_to_the_declaration_at_once(failing: tuple[str, Checker]) -> None:
    fault, checker = failing
    run = checker.run()

    assert_falls_back(run)
    assert run.output["status"] == (None if fault == "rtec-slow" else int(fault[-3:]))
    assert run.elapsed_s < FALLBACK_BOUND_S
    assert len(received(checker.demo, checker)) == 1  # no retry


def test_a_certificate_from_a_ca_the_consumer_was_not_given_is_refused(demo: Demonstrator, tmp_path: Path) -> None:
    with Demonstrator() as stranger:
        refused = Checker(stranger, stranger.rtec_url, tmp_path / "a", ca_path=demo.certificates.ca_path)
        accepted = Checker(stranger, stranger.rtec_url, tmp_path / "b", ca_path=demo.certificates.ca_path)

        assert_falls_back(refused.run())
        assert received(stranger, refused) == []
        verify_off = accepted.run(DIXON, "tls-verify-off")
        assert verify_off.output["exempt"] is True, verify_off.stdout
        assert len(received(stranger, accepted)) == 1


# -- consumer faults -----------------------------------------------------------------------------------
def test_rtec_request_faults_are_what_the_service_receives(demo: Demonstrator, tmp_path: Path) -> None:
    def sent(fault: str) -> ReceivedRequest:
        checker = Checker(demo, demo.rtec_url, tmp_path / fault)
        checker.run(DIXON, fault)
        (request,) = received(demo, checker)
        return request

    assert json.loads(sent("rtec-extra-field").body).keys() == {
        "dob",
        "nhsNumber",
        "postcode",
        "surname",
        "prescriptionId",
        "pharmacyNote",
    }
    assert json.loads(sent("rtec-spaced-nhs-number").body)["nhsNumber"] == "966 098 1805"
    assert sent("rtec-no-ssp-from").header(FROM) is None
    # The service refuses the nested claims (401) without reading the body: the newest request is it.
    Checker(demo, demo.rtec_url, tmp_path / "nested").run(DIXON, "rtec-nested-claims")
    refused = demo.rtec.received[-1]
    assert refused.body == b""
    claims = decode_unverified(bearer_token(refused.header("authorization"))).claims
    assert claims["requesting_organization"]["resourceType"] == "Organization"


def test_checks_any_age_checks_a_child(demo: Demonstrator, checker: Checker) -> None:
    run = checker.run({**DIXON, "--dob": years_ago(10)}, "checks-any-age")

    assert run.output["checked"] is True
    assert len(received(demo, checker)) == 1


def test_rechecks_checks_the_same_prescription_again(demo: Demonstrator, checker: Checker) -> None:
    checker.run(DIXON, "rechecks")
    checker.run(DIXON, "rechecks")

    assert len(received(demo, checker)) == 2


def test_no_fallback_prints_only_the_error(tmp_path: Path) -> None:
    with Demonstrator(faults=["rtec-500"]) as broken:
        run = Checker(broken, broken.rtec_url, tmp_path).run(DIXON, "no-fallback")

    assert run.code == 1
    assert run.output["error"] == "HTTP 500" and "fallback" not in run.output
    assert "declaration" not in (run.stdout + run.stderr).lower()


@pytest.mark.slow
def test_no_timeout_waits_for_a_slow_service(tmp_path: Path) -> None:
    with Demonstrator(faults=["rtec-slow"]) as slow:
        run = Checker(slow, slow.rtec_url, tmp_path).run(DIXON, "no-timeout")

    assert run.output["exempt"] is True  # the answer came after the 5 s the service takes
    assert run.elapsed_s > FALLBACK_BOUND_S


# -- the state the dispensing system is in -------------------------------------------------------------
@pytest.mark.parametrize("state", ["patient-sensitive", "eps-release-1", "claim-amendment", "automatic-checking-off"])
def test_no_check_in_a_state_that_forbids_it(demo: Demonstrator, checker: Checker, state: str) -> None:
    run = checker.run(DIXON, state=state)

    assert (run.code, run.output["checked"]) == (0, False), run.stderr
    assert "PEC-FR-" in run.output["reason"]
    assert received(demo, checker) == []


def test_automatic_checking_on_checks_when_dispensing(demo: Demonstrator, checker: Checker) -> None:
    run = checker.run(DIXON, state="automatic-checking-on")

    assert run.output["exempt"] is True
    assert len(received(demo, checker)) == 1


def test_an_unknown_state_is_a_usage_error(checker: Checker) -> None:
    run = checker.run(DIXON, state="on-holiday")

    assert run.code == 2 and "--state on-holiday: unknown state" in run.stderr


def test_a_reused_token_is_the_same_on_two_checks(demo: Demonstrator, tmp_path: Path) -> None:
    first, second = (Checker(demo, demo.rtec_url, tmp_path) for _ in range(2))
    first.run(DIXON, "rtec-reused-token")
    second.run(DIXON, "rtec-reused-token")

    (one,), (two,) = received(demo, first), received(demo, second)
    assert one.header("authorization") == two.header("authorization")
