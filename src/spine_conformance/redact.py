"""Redaction of secrets and patient identifiers in everything the harness writes.

Values are replaced by deterministic pseudonyms: within a run the same value (in any of its
spellings) always gets the same mask, so evidence stays comparable between scenarios, but the
mask is a keyed hash (HMAC with a key made for the run) so it cannot be reversed by trying
every birth date or postcode.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.config.model import TargetConfig

BEARER = re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]*){1,2}")
JWT_LIKE = re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*")
AUTHORIZATION_HEADERS = {"authorization", "proxy-authorization"}
# JWT claims that identify the user (UEC and RTEC): masked whole in decoded tokens.
PERSONAL_CLAIMS = frozenset({"sub", "requesting_practitioner"})
WHOLLY_SECRET_HEADERS = {"cookie", "set-cookie"}
AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,19}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MIN_PROTECTED_LENGTH = 2
NAME_KINDS = frozenset({"surname", "given-name"})
# xdist workers and subprocesses inherit the environment, so one run shares one key.
KEY_VARIABLE = "SPINE_CONFORMANCE_REDACTION_KEY"


def run_key() -> bytes:
    """The run's redaction key: from the environment, or made now and put there for child processes."""
    key = os.environ.get(KEY_VARIABLE)
    if not key:
        key = secrets.token_hex(32)
        os.environ[KEY_VARIABLE] = key
    return key.encode()


def _canonical(kind: str, value: str) -> str:
    squeezed = value.replace(" ", "")
    return squeezed.upper() if kind in ("postcode", "nhs-number") else value.strip().casefold()


def _spellings(kind: str, value: str) -> Iterable[str]:
    """The spellings a value is likely to appear in (postcode without its space, spaced NHS number, …)."""
    yield value
    if kind == "postcode":
        yield value.replace(" ", "")
        yield value.replace(" ", "%20")  # as it appears in a URL-encoded query
        yield value.replace(" ", "+")
    if kind == "nhs-number" and len(value) == 10:
        yield f"{value[:3]} {value[3:6]} {value[6:]}"
        yield f"{value[:3]}-{value[3:6]}-{value[6:]}"
    if kind == "birth-date" and ISO_DATE.fullmatch(value):
        year, month, day = value.split("-")
        yield f"{day}/{month}/{year}"
        yield f"{year}{month}{day}"


def _variants(kind: str, value: str) -> Iterable[str]:
    """Every spelling, also as it appears inside JSON written with ASCII escapes (M\\u00fcller)."""
    value = value.strip()
    if not value:
        return
    for spelling in _spellings(kind, value):
        yield spelling
        escaped = json.dumps(spelling)[1:-1]
        if escaped != spelling:
            yield escaped


def _ascii_probes(casefolded: Iterable[str]) -> tuple[str, ...]:
    """How each value can appear in ASCII text, lowered, under the pattern's IGNORECASE matching.

    Casefolded, only the dotless i (ı) still matches an ASCII letter (I and i); a value with any other
    non-ASCII character can never appear in ASCII text, so it needs no probe.
    """
    probes = (value.replace("ı", "i") for value in casefolded)
    return tuple(sorted({probe for probe in probes if probe.isascii()}))


def secret_values(target: TargetConfig) -> list[str]:
    """The values of the configuration's ``env:`` keys (dotted names in ``target.secret_keys``)."""
    values: list[str] = []
    for key in target.secret_keys:
        holder: object = target
        for part in key.split("."):
            holder = getattr(holder, part, None)
        if isinstance(holder, str) and holder:
            values.append(holder)
        elif isinstance(holder, tuple):
            values += [item for item in holder if isinstance(item, str) and item]
    return values


@dataclass
class Redactor:
    enabled: bool = True
    key: bytes = field(default_factory=run_key)
    _values: dict[str, str] = field(default_factory=dict)
    _names: set[str] = field(default_factory=set)
    _pattern: re.Pattern[str] | None = None
    # Lowered ASCII spellings of the protected values: most texts contain none, and a substring test
    # is far cheaper than the case-insensitive pattern, which then runs only where one is present.
    _ascii_probes: tuple[str, ...] = ()

    @classmethod
    def for_target(cls, target: TargetConfig, enabled: bool = True) -> Redactor:
        redactor = cls(enabled)
        patient, exemption = target.patient, target.exemption
        # Every test patient the configuration names: the appointments patient and the RTEC one.
        for kind, value in (
            ("nhs-number", patient.nhs_number),
            ("surname", patient.family),
            *(("given-name", given) for given in patient.given),
            ("birth-date", patient.birth_date),
            ("postcode", patient.postcode),
            ("nhs-number", exemption.not_exempt_nhs_number),
            ("surname", exemption.not_exempt_family),
            ("birth-date", exemption.not_exempt_birth_date),
            ("postcode", exemption.not_exempt_postcode),
        ):
            redactor.protect(kind, value)
        # Every value given as env:NAME is a secret wherever it turns up (a token claim, a header, a URL).
        for value in secret_values(target):
            redactor.protect("secret", value)
        return redactor

    def mask(self, kind: str, value: str) -> str:
        digest = hmac.new(self.key, f"{kind}:{_canonical(kind, value)}".encode(), hashlib.sha256).hexdigest()
        return f"«{kind}:{digest[:10]}»"

    def protect(self, kind: str, value: str) -> None:
        for variant in _variants(kind, value):
            if len(variant) >= MIN_PROTECTED_LENGTH:
                self._values[variant.casefold()] = self.mask(kind, value)
                if kind in NAME_KINDS:
                    self._names.add(variant.casefold())
        self._pattern = self._compile()
        self._ascii_probes = _ascii_probes(self._values)

    def _compile(self) -> re.Pattern[str] | None:
        """Longest first, so a value containing another is masked whole; case does not matter.

        Names are masked as whole words only (a given name "Max" leaves "max-age" alone), where a
        percent-escape such as "%20" also counts as a word boundary; numbers, dates and postcodes are
        masked wherever they appear (inside URL-encoded queries too).
        """
        if not self._values:
            return None
        names = [re.escape(v) for v in sorted(self._names, key=len, reverse=True)]
        others = [re.escape(v) for v in sorted(self._values.keys() - self._names, key=len, reverse=True)]
        parts = []
        if others:
            parts.append("|".join(others))
        if names:
            before = r"(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))"
            after = r"(?:(?![A-Za-z0-9_-])|(?=%[0-9A-Fa-f]{2}))"
            parts.append(rf"{before}(?:{'|'.join(names)}){after}")
        # The lookahead on the values' first characters lets the engine skip ahead to where a match can
        # start (three times faster on large bodies); matched case-insensitively, like the values.
        first = "".join(sorted({re.escape(value[0]) for value in self._values}))
        return re.compile(f"(?=[{first}])(?:{'|'.join(f'(?:{part})' for part in parts)})", re.IGNORECASE)

    def text(self, value: str) -> str:
        if not self.enabled or not value:
            return value
        lowered = value.lower()
        if "bearer" in lowered:  # no other character folds to these letters
            value = BEARER.sub(lambda m: f"{m.group(1)} «token»", value)
        if "eyJ" in value:
            value = JWT_LIKE.sub("«token»", value)
        if self._pattern is not None and (not value.isascii() or any(probe in lowered for probe in self._ascii_probes)):
            value = self._pattern.sub(lambda m: self._mask_of(m.group(0)), value)
        return value

    def _mask_of(self, matched: str) -> str:
        mask = self._values.get(matched.casefold())
        if mask is None:  # matched through an equivalence casefold does not share (YILMAZ for Yılmaz)
            mask = next(
                mask for value, mask in self._values.items() if re.fullmatch(re.escape(value), matched, re.IGNORECASE)
            )
        return mask

    def header(self, name: str, value: str) -> str:
        if not self.enabled:
            return value
        lowered = name.lower()
        if lowered in WHOLLY_SECRET_HEADERS:
            return "«redacted»"
        if lowered in AUTHORIZATION_HEADERS:
            # Keep the scheme (it says what kind of credential was sent), never the credential.
            scheme, _, rest = value.partition(" ")
            return f"{scheme} «redacted»" if rest and AUTH_SCHEME.fullmatch(scheme) else "«redacted»"
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

    def token(self, decoded: dict[str, Any] | None) -> dict[str, Any] | None:
        """A decoded JWT with the claims that identify a person masked; structure and the rest kept."""
        if decoded is None or not self.enabled:
            return decoded
        claims = dict(decoded.get("claims") or {})
        for claim in PERSONAL_CLAIMS & claims.keys():
            claims[claim] = self.mask("user", json.dumps(claims[claim], sort_keys=True))
        result: dict[str, Any] = self.data({**decoded, "claims": claims})
        return result

    def exchange(self, exchange: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.data(
            {k: v for k, v in exchange.items() if k not in ("request", "response", "token")}
        )
        result["token"] = self.token(exchange.get("token"))
        for part in ("request", "response"):
            section = exchange.get(part)
            if section is None:
                result[part] = None
                continue
            redacted = self.data({k: v for k, v in section.items() if k != "headers"})
            redacted["headers"] = [[name, self.header(name, value)] for name, value in section.get("headers", [])]
            result[part] = redacted
        return result
