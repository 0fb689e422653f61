"""Defective RTEC requests for the negative scenarios, named as the feature files name them."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

from spine_conformance.config.model import ConsumerConfig
from spine_conformance.exemption.fields import FIELDS
from spine_conformance.tokens import bearer, encode_unsigned, rtec_claims


class UnknownDefect(KeyError):
    pass


def _other_check_digit(nhs_number: str) -> str:
    return nhs_number[:-1] + str((int(nhs_number[-1]) + 1) % 10)


def _other_check_character(prescription_id: str) -> str:
    last = prescription_id[-1]
    return prescription_id[:-1] + ("A" if last != "A" else "B")


# field -> (defect description -> change of the field's value)
FORMAT_DEFECTS: dict[str, Callable[[str], Any]] = {
    "a dob that is not a date": lambda _: "01/01/2010",
    "a dob in the future": lambda _: "2999-01-01",
    "an NHS number with a wrong check digit": _other_check_digit,
    "an NHS number of nine digits": lambda value: value[:9],
    "a postcode that is not a UK postcode": lambda _: "NOT A CODE",
    "an empty surname": lambda _: "",
    "a surname that is not ASCII": lambda value: value + "\u00e9",
    "a prescription id with a wrong check character": _other_check_character,
    "a prescription id of the wrong shape": lambda _: "471BC8P8302734B75X",
}
FORMAT_DEFECT_FIELD = {
    "a dob that is not a date": "dob",
    "a dob in the future": "dob",
    "an NHS number with a wrong check digit": "nhsNumber",
    "an NHS number of nine digits": "nhsNumber",
    "a postcode that is not a UK postcode": "postcode",
    "an empty surname": "surname",
    "a surname that is not ASCII": "surname",
    "a prescription id with a wrong check character": "prescriptionId",
    "a prescription id of the wrong shape": "prescriptionId",
}


# The only format rule the service's own contract states (swagger: dob has format "date"); RTEC
# publishes no per-field validation rules, so refusing the other malformed values is advisory.
NORMATIVE_FORMAT_DEFECTS = frozenset({"a dob that is not a date"})


def without_field(body: dict[str, str], field: str) -> dict[str, str]:
    if field not in FIELDS:
        raise UnknownDefect(f"{field!r} is not one of the RTEC fields {FIELDS}")
    return {name: value for name, value in body.items() if name != field}


def with_format_defect(body: dict[str, str], defect: str) -> tuple[dict[str, Any], str]:
    """The body with one field made malformed, and the name of that field."""
    if defect not in FORMAT_DEFECTS:
        raise UnknownDefect(f"no format defect {defect!r}; known: {', '.join(sorted(FORMAT_DEFECTS))}")
    field = FORMAT_DEFECT_FIELD[defect]
    return {**body, field: FORMAT_DEFECTS[defect](body[field])}, field


def reordered(body: dict[str, str]) -> bytes:
    """The same JSON object with its properties in the reverse of the documented order."""
    return json.dumps(dict(reversed(list(body.items())))).encode()


def _expired(consumer: ConsumerConfig, url: str) -> str:
    return bearer(encode_unsigned(rtec_claims(consumer, url, now=int(time.time()) - 3600)))


def _malformed(consumer: ConsumerConfig, url: str) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    return bearer(f"{header}.not-base64url-%%%.")


TOKEN_DEFECTS: dict[str, Callable[[ConsumerConfig, str], str | None]] = {
    "no token": lambda consumer, url: None,
    "an expired token": _expired,
    "a malformed token": _malformed,
}


def token_defect(consumer: ConsumerConfig, url: str, defect: str) -> str | None:
    if defect not in TOKEN_DEFECTS:
        raise UnknownDefect(f"no token defect {defect!r}; known: {', '.join(sorted(TOKEN_DEFECTS))}")
    return TOKEN_DEFECTS[defect](consumer, url)
