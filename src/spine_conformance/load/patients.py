"""Synthetic test patients for simulated consumers.

Real consumers book for many patients. If every simulated consumer booked for the one configured
test patient, that patient's appointment search would grow with every booking of the run and
measure nothing but its own size. NHS numbers starting 999 are reserved for testing and never
issued to a person; each synthetic patient gets one with a valid Modulus 11 check digit.
"""

from __future__ import annotations

import random
from dataclasses import replace

from spine_conformance.config.model import PatientConfig

TEST_RANGE_PREFIX = "999"
_WEIGHTS = range(10, 1, -1)


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid NHS number starts with them."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True)) % 11
    digit = 11 - remainder
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def synthetic_nhs_number(rng: random.Random) -> str:
    while True:
        first_nine = TEST_RANGE_PREFIX + f"{rng.randrange(1_000_000):06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return first_nine + str(digit)


def synthetic_patient(template: PatientConfig, rng: random.Random) -> PatientConfig:
    """The configured test patient's details with an NHS number of its own from the test range."""
    return replace(template, nhs_number=synthetic_nhs_number(rng))
