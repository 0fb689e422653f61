"""Where the suite's files live: the project checkout (features/, steps/, schemas/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

# src/spine_conformance/paths.py -> the checkout that holds features/, steps/ and schemas/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = PROJECT_ROOT / "schemas"
FEATURES = PROJECT_ROOT / "features"

SUITE_PATHS = {
    "provider": ("features/appointments/provider",),
    "exemption": ("features/exemption/provider",),
    "consumer": ("features/appointments/consumer", "features/exemption/consumer"),
}
SUITES = tuple(SUITE_PATHS)


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text("utf-8"))
    return loaded


def validator(name: str) -> jsonschema.protocols.Validator:
    document = schema(name)
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document, format_checker=cls.FORMAT_CHECKER)
