"""The reference consumer's fault registry and command-line options."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from spine_conformance.config.model import ConsumerConfig, PatientConfig
from spine_conformance.consumer import options
from spine_conformance.consumer.faults import FAULTS, fault_table, unknown_faults
from spine_conformance.requirements import catalogue

EXPECTED_FAULTS = {
    "stale-trace-id": "SSP-HDR-01",
    "trace-id-not-uuid": "SSP-HDR-01",
    "no-ssp-from": "SSP-HDR-02",
    "wrong-ssp-to": "SSP-HDR-03",
    "wrong-interaction-id": "SSP-HDR-04",
    "double-slash-url": "SSP-URL-01",
    "signed-token": "JWT-01",
    "long-lived-token": "JWT-02",
    "wrong-reason": "JWT-03",
    "wrong-scope": "JWT-04",
    "bad-device": "JWT-05",
    "org-without-ods": "JWT-06",
    "practitioner-id-mismatch": "JWT-07",
    "invalid-appointment": "CON-VAL-01",
    "no-if-match": "CON-CONC-01",
    "slot-search-without-window": "CON-SLOT-01",
    "patient-search-wrong-parameter": "CON-SEARCH-01",
    "booking-refusal-ignored": "CON-BOOK-01",
    "read-reports-failure": "CON-READ-01",
    "cancel-changes-description": "CON-CANCEL-01",
    "rtec-extra-field": "RTEC-REQ-01",
    "rtec-no-postcode": "RTEC-REQ-01",
    "rtec-spaced-nhs-number": "RTEC-REQ-02",
    "rtec-nested-claims": "RTEC-REQ-03",
    "rtec-no-ssp-from": "RTEC-REQ-04",
    "checks-any-age": "RTEC-CLI-01",
    "rechecks": "RTEC-CLI-02",
    "polls": "RTEC-CLI-02",
    "no-timeout": "RTEC-CLI-03",
    "no-fallback": "RTEC-CLI-03",
    "tls-verify-off": "TLS-02",
    # consumer and exemption depth
    "content-type-plain-json": "CON-HTTP-01",
    "accept-any": "CON-HTTP-01",
    "rtec-no-typ": "RTEC-REQ-03",
    "rtec-reused-token": "RTEC-REQ-03",
    "rtec-locum-org": "RTEC-REQ-05",
    "rtec-surname-letters-only": "RTEC-REQ-06",
    "checks-unauthorised-users": "RTEC-CLI-04",
    "checks-prisoners": "RTEC-CLI-05",
    "checks-exempt-items": "RTEC-CLI-06",
    "checks-eps-r1": "RTEC-CLI-07",
    "checks-restricted-patients": "RTEC-CLI-08",
    "checks-with-automatic-checking-off": "RTEC-CLI-09",
    "reuses-answer-for-patient": "RTEC-CLI-10",
    "checks-claim-amendments": "RTEC-CLI-11",
    "sends-non-ascii": "RTEC-CLI-12",
    "no-unavailable-notice": "RTEC-CLI-13",
    "tls-expiry-unchecked": "TLS-02",
}


def parse(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    options.add_arguments(parser)
    return parser.parse_args(list(words))


# -- the registry -----------------------------------------------------------------------------------
def test_each_fault_names_the_requirement_it_violates() -> None:
    assert {name: fault.violates for name, fault in FAULTS.items()} == EXPECTED_FAULTS


def test_every_violated_requirement_is_in_the_catalogue() -> None:
    known = catalogue()

    assert {fault.violates for fault in FAULTS.values()} <= known.keys()


def test_every_fault_is_described() -> None:
    assert all(fault.description and fault.name == name for name, fault in FAULTS.items())


def test_unknown_names_are_reported_but_list_is_not_a_fault_name() -> None:
    assert unknown_faults(["polls", "list", "nope", "nope", "other"]) == ["nope", "other"]


def test_the_table_lists_every_fault_with_its_requirement() -> None:
    table = fault_table()

    for name, requirement in EXPECTED_FAULTS.items():
        assert any(line.split()[:2] == [name, requirement] for line in table.splitlines()), name


# -- options ----------------------------------------------------------------------------------------
def test_an_unknown_fault_is_a_usage_problem_listing_the_known_ones() -> None:
    problems = options.usage_problems(parse("read", "--fault", "nope"))

    assert len(problems) == 1
    assert "nope" in problems[0] and all(name in problems[0] for name in FAULTS)


def test_each_action_says_which_options_it_misses() -> None:
    assert options.usage_problems(parse("cancel")) == [
        "cancel needs --provider-base-url",
        "cancel needs --provider-asid",
        "cancel needs --appointment-id",
    ]
    assert options.usage_problems(parse()) == [f"an ACTION is required: one of {', '.join(options.ACTIONS)}"]


def test_a_missing_ca_bundle_is_a_usage_problem(tmp_path: Path) -> None:
    words = ("read", "--provider-base-url", "https://p/STU3/1", "--provider-asid", "918999198993")
    args = parse(*words, "--appointment-id", "a1", "--ca-bundle", str(tmp_path / "absent.pem"))

    assert options.usage_problems(args) == [f"--ca-bundle {tmp_path / 'absent.pem'}: no such file"]


@pytest.mark.parametrize(
    ("words", "timeout"),
    [
        (("read",), 10.0),
        (("check-exemption",), 2.0),
        (("check-exemption", "--timeout", "0.5"), 0.5),
        (("read", "--timeout", "3"), 3.0),
        (("check-exemption", "--fault", "no-timeout", "--timeout", "1"), 60.0),
    ],
)
def test_timeouts(words: tuple[str, ...], timeout: float) -> None:
    assert options.target_config(parse(*words)).http.timeout_s == timeout


def test_identity_defaults_to_the_harness_test_consumer() -> None:
    target = options.target_config(parse("read"))

    assert target.consumer == ConsumerConfig()
    assert target.tls.verify is True
    assert target.provider.ssp_url == ""


def test_options_become_the_target_configuration() -> None:
    args = parse(
        "book",
        "--ssp-url",
        "https://ssp/",
        "--provider-base-url",
        "https://p/STU3/1",
        "--provider-asid",
        "918999198993",
        "--consumer-asid",
        "200000000375",
        "--ods-code",
        "B22222",
        "--service-id",
        "918999198999",
        "--days",
        "3",
        "--nhs-number",
        "9660981805",
        "--family",
        "DIXON",
        "--given",
        "Ann",
        "--given",
        "Marie",
        "--fault",
        "tls-verify-off",
    )
    target = options.target_config(args)

    assert (target.provider.ssp_url, target.provider.base_url, target.provider.asid) == (
        "https://ssp/",
        "https://p/STU3/1",
        "918999198993",
    )
    assert (target.provider.healthcare_service, target.provider.slot_window_days) == ("918999198999", 3)
    assert (target.consumer.asid, target.consumer.ods_code) == ("200000000375", "B22222")
    assert target.patient == PatientConfig(nhs_number="9660981805", family="DIXON", given=("Ann", "Marie"))
    assert target.tls.verify is False


def test_the_state_dir_defaults_to_a_folder_under_the_temp_dir(tmp_path: Path) -> None:
    assert options.state_dir(parse("check-exemption")) == options.STATE_FILE_DIR
    assert options.state_dir(parse("check-exemption", "--state-dir", str(tmp_path))) == tmp_path
