"""The five RTEC request fields and their rules (RTEC-REQ-01, RTEC-REQ-02).

Each rule returns a problem text (or None); the service names the fields with problems, the
checks turn them into findings. One implementation serves the reference service, the provider
suite and the checks on what consumers send.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from nhs_number.validate import is_valid as nhs_number_is_valid

FIELDS = ("dob", "nhsNumber", "postcode", "surname", "prescriptionId")

# ISO/IEC 7064 MOD 37-2 character set (values 0..36), as EPS R2 prescription ids use it.
MOD37_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+"
PRESCRIPTION_ID = re.compile(r"[0-9A-F]{6}-[0-9A-Z]{6}-[0-9A-F]{5}[0-9A-Z+]")
# UK postcode: outward code (area, district) and inward code, with or without the space.
UK_POSTCODE = re.compile(
    r"(GIR ?0AA|[A-PR-UWYZ]"  # area letter
    r"([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"  # district
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})",  # inward code
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")


def mod37_2_check_character(body: str) -> str:
    """The ISO 7064 MOD 37-2 check character for ``body`` (characters from MOD37_CHARACTERS)."""
    total = 0
    for character in body:
        total = ((total + MOD37_CHARACTERS.index(character)) * 2) % 37
    return MOD37_CHARACTERS[(38 - total) % 37]


def dob_problem(value: Any, today: date | None = None) -> str | None:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return "must be a date written YYYY-MM-DD"
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return "is not a real calendar date"
    if born > (today or datetime.now(UTC).date()):
        return "is in the future"
    return None


def nhs_number_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{10}", value):
        return "must be ten digits"
    if not nhs_number_is_valid(value):
        return "fails the Modulus 11 check digit"
    return None


def postcode_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not UK_POSTCODE.fullmatch(value.strip()):
        return "is not a UK postcode"
    return None


def surname_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must not be empty"
    if not PRINTABLE_ASCII.fullmatch(value):
        return "must be printable ASCII"
    return None


def prescription_id_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not PRESCRIPTION_ID.fullmatch(value):
        return "must be an EPS R2 short-form id XXXXXX-XXXXXX-XXXXXC"
    body = value.replace("-", "")
    if mod37_2_check_character(body[:-1]) != body[-1]:
        return "has the wrong check character (ISO 7064 MOD 37-2)"
    return None


FIELD_RULES: dict[str, Callable[[Any], str | None]] = {
    "dob": dob_problem,
    "nhsNumber": nhs_number_problem,
    "postcode": postcode_problem,
    "surname": surname_problem,
    "prescriptionId": prescription_id_problem,
}


def request_problems(body: Any) -> dict[str, str]:
    """Field name → what is wrong, for every missing, unknown or malformed field (empty if valid)."""
    if not isinstance(body, Mapping):
        return {"(body)": "must be a JSON object"}
    problems: dict[str, str] = {}
    for name in FIELDS:
        if name not in body:
            problems[name] = "is required"
        elif (problem := FIELD_RULES[name](body[name])) is not None:
            problems[name] = problem
    for name in body:
        if name not in FIELDS:
            problems[str(name)] = "is not a field of the request"
    return problems


def normalised_postcode(value: str) -> str:
    return value.replace(" ", "").upper()


def new_prescription_id(rng: random.Random | None = None) -> str:
    """A fresh, well-formed EPS R2 short-form id (valid check character), for one-off checks."""
    chooser = rng or random.Random()
    hexdigits = "0123456789ABCDEF"
    body = (
        "".join(chooser.choice(hexdigits) for _ in range(6))
        + "A83027"
        + "".join(chooser.choice(hexdigits) for _ in range(5))
    )
    check = mod37_2_check_character(body)
    return f"{body[:6]}-{body[6:12]}-{body[12:]}{check}"
