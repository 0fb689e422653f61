"""The RTEC field rules, with valid and invalid examples and the check-digit edge cases."""

from __future__ import annotations

from datetime import date

import pytest

from spine_conformance.exemption.fields import (
    FIELDS,
    dob_problem,
    mod37_2_check_character,
    nhs_number_problem,
    postcode_problem,
    prescription_id_problem,
    request_problems,
    surname_problem,
)
from spine_conformance.exemption.vocabulary import CONFIRMED_BY_SOURCE, exemption_types, is_exemption_type, meaning

VALID = {
    "dob": "2010-01-01",
    "nhsNumber": "9434765919",
    "postcode": "NE32JH",
    "surname": "Parker",
    "prescriptionId": "471BC8-P83027-34B75X",
}


def test_the_published_example_request_is_valid() -> None:
    assert request_problems(VALID) == {}


@pytest.mark.parametrize("value", ["2010-01-01", "1900-02-28", "2024-02-29"])
def test_dob_accepts_iso_dates_in_the_past(value: str) -> None:
    assert dob_problem(value, today=date(2026, 11, 21)) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("01/01/2010", "YYYY-MM-DD"),
        ("2010-1-1", "YYYY-MM-DD"),
        ("2023-02-29", "calendar"),
        ("2010-13-01", "calendar"),
        ("2026-11-22", "future"),
        (20100101, "YYYY-MM-DD"),
        (None, "YYYY-MM-DD"),
    ],
)
def test_dob_rejects(value: object, problem: str) -> None:
    assert problem in (dob_problem(value, today=date(2026, 11, 21)) or "")


@pytest.mark.parametrize("value", ["9434765919", "9660981805", "9000000009", "4010232137"])
def test_nhs_number_accepts_valid_numbers(value: str) -> None:
    assert nhs_number_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("9434765918", "Modulus 11"),
        # 123456789 gives a check digit of 10, which no NHS number can have: every ending fails.
        *[(f"123456789{digit}", "Modulus 11") for digit in range(10)],
        ("943476591", "ten digits"),
        ("943 476 5919", "ten digits"),
        ("94347659190", "ten digits"),
        ("943476591X", "ten digits"),
        (9434765919, "ten digits"),
    ],
)
def test_nhs_number_rejects(value: object, problem: str) -> None:
    assert problem in (nhs_number_problem(value) or "")


@pytest.mark.parametrize(
    "value",
    [
        "NE3 2JH",
        "NE32JH",
        "ne3 2jh",
        "SW1A 1AA",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "GIR 0AA",
        "EC1A 1BB",
        "W1A 0AX",
    ],
)
def test_postcode_accepts_uk_postcodes(value: str) -> None:
    assert postcode_problem(value) is None


@pytest.mark.parametrize("value", ["NOT A CODE", "12345", "NE3  2JH", "QE3 2JH", "NE3 2JC", "", "NE3-2JH", None])
def test_postcode_rejects(value: object) -> None:
    assert postcode_problem(value) == "is not a UK postcode"


@pytest.mark.parametrize("value", ["Parker", "O'Brien", "Smith-Jones", "DE LA MARE"])
def test_surname_accepts_printable_ascii(value: str) -> None:
    assert surname_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"), [("", "empty"), ("   ", "empty"), ("Pärker", "ASCII"), ("Parker\n", "ASCII"), (None, "empty")]
)
def test_surname_rejects(value: object, problem: str) -> None:
    assert problem in (surname_problem(value) or "")


def test_check_character_of_the_published_example() -> None:
    assert mod37_2_check_character("471BC8P8302734B75") == "X"


def test_check_character_can_be_plus() -> None:
    # ISO 7064 MOD 37-2 has 37 characters; the 37th is '+', and an id can end with it.
    assert mod37_2_check_character("0000AFP8302734B75") == "+"
    assert prescription_id_problem("0000AF-P83027-34B75+") is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("471BC8-P83027-34B75A", "check character"),
        ("0000AF-P83027-34B75X", "check character"),
        ("0000AF-P83027-34B750", "check character"),
        ("471BC8P8302734B75X", "short-form"),
        ("471bc8-P83027-34B75X", "short-form"),
        ("471BC8-P83027-34B75", "short-form"),
        ("G71BC8-P83027-34B75X", "short-form"),
        ("", "short-form"),
    ],
)
def test_prescription_id_rejects(value: str, problem: str) -> None:
    assert problem in (prescription_id_problem(value) or "")


def test_every_field_missing_is_named() -> None:
    assert request_problems({}) == {field: "is required" for field in FIELDS}


def test_extra_fields_are_named_and_non_objects_refused() -> None:
    assert request_problems({**VALID, "note": "x"}) == {"note": "is not a field of the request"}
    assert request_problems([VALID]) == {"(body)": "must be a JSON object"}


def test_several_problems_are_reported_together() -> None:
    problems = request_problems({**VALID, "dob": "x", "postcode": "y"})
    assert set(problems) == {"dob", "postcode"}


def test_vocabulary_holds_the_published_codes() -> None:
    codes = exemption_types()
    assert {f"{n:04d}" for n in range(17)} | {"9005"} == set(codes)
    assert meaning("0002") == "Under 16"
    assert meaning("9006") == CONFIRMED_BY_SOURCE
    assert is_exemption_type("9180") and is_exemption_type("0001")
    assert not is_exemption_type(None) and not is_exemption_type("12") and not is_exemption_type(9005)
