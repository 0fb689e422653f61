"""Prescription charge exemption types (PrescriptionChargeExemption v03), read from data/exemption_types.toml."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

TYPE_PATTERN = re.compile(r"[0-9]{4}")
CONFIRMED_BY_SOURCE = "Does not need to pay: exemption confirmed by source (a value not in the published list)"


@cache
def exemption_types() -> dict[str, str]:
    text = resources.files("spine_conformance").joinpath("data/exemption_types.toml").read_text("utf-8")
    return {entry["code"]: entry["meaning"] for entry in tomllib.loads(text)["type"]}


def meaning(code: str) -> str:
    """What an exemption type means; any other value is 'confirmed by source' (digest B5)."""
    return exemption_types().get(code, CONFIRMED_BY_SOURCE)


def is_exemption_type(value: object) -> bool:
    """A returned type must be a four-digit code; unknown codes are allowed (confirmed by source)."""
    return isinstance(value, str) and bool(TYPE_PATTERN.fullmatch(value))
