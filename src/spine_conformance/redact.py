"""Redaction of secrets and patient identifiers in everything the harness writes.

Values are replaced by deterministic pseudonyms (the same value always gets the same mask in
one run), so evidence stays comparable between scenarios and runs without disclosing it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.config.model import TargetConfig

BEARER = re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]*){1,2}")
JWT_LIKE = re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*")
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}


def _variants(kind: str, value: str) -> Iterable[tuple[str, str]]:
    """A value and the spellings it is likely to appear in (postcode without space, etc.)."""
    value = value.strip()
    if not value:
        return
    yield kind, value
    if kind == "postcode":
        yield kind, value.replace(" ", "")
    if kind == "nhs-number" and len(value) == 10:
        yield kind, f"{value[:3]} {value[3:6]} {value[6:]}"
    if kind in ("surname", "given-name"):
        yield kind, value.upper()


@dataclass
class Redactor:
    enabled: bool = True
    _values: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def for_target(cls, target: TargetConfig, enabled: bool = True) -> Redactor:
        redactor = cls(enabled)
        patient = target.patient
        redactor.protect("nhs-number", patient.nhs_number)
        redactor.protect("surname", patient.family)
        for given in patient.given:
            redactor.protect("given-name", given)
        redactor.protect("birth-date", patient.birth_date)
        redactor.protect("postcode", patient.postcode)
        return redactor

    def protect(self, kind: str, value: str) -> None:
        for label, variant in _variants(kind, value):
            if len(variant) >= 3 and variant not in self._values:
                digest = hashlib.sha256(f"{label}:{variant}".encode()).hexdigest()[:6]
                self._values[variant] = f"«{label}:{digest}»"
        # Longest first, so a value containing another is masked whole.
        ordered = sorted(self._values, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(v) for v in ordered)) if ordered else None

    def text(self, value: str) -> str:
        if not self.enabled or not value:
            return value
        value = BEARER.sub(lambda m: f"{m.group(1)} «token»", value)
        value = JWT_LIKE.sub("«token»", value)
        if self._pattern is not None:
            value = self._pattern.sub(lambda m: self._values[m.group(0)], value)
        return value

    def header(self, name: str, value: str) -> str:
        if self.enabled and name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            return f"{scheme} «redacted»".strip()
        return self.text(value)

    def data(self, value: Any) -> Any:
        """Redact every string inside a JSON-like structure."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        return value

    def exchange(self, exchange: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.data({k: v for k, v in exchange.items() if k not in ("request", "response")})
        for part in ("request", "response"):
            section = exchange.get(part)
            if section is None:
                result[part] = None
                continue
            redacted = self.data({k: v for k, v in section.items() if k != "headers"})
            redacted["headers"] = [[name, self.header(name, value)] for name, value in section.get("headers", [])]
            result[part] = redacted
        return result
