"""Inspecting a received bearer token: used by the harness (what did the consumer send?) and by the
embedded demonstrator provider (should this request be rejected?).

Each inspection returns one :class:`Finding` per violated rule; an empty list means the token is
conformant. Decoding is done by hand rather than with PyJWT because we need the exact reason a
token is malformed, and PyJWT would also judge the signature and claims by its own rules.
Nothing here ever puts the token, or a long piece of it, into a message.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any, Final

from spine_conformance.findings import Finding, FindingCollector
from spine_conformance.interactions import Interaction
from spine_conformance.tokens.rules import (
    ABSENT,
    KNOWN_SCOPES,
    RTEC_REQUIREMENT,
    appointments_claim_findings,
    rtec_claim_findings,
    show,
)

__all__ = [
    "KNOWN_SCOPES",
    "DecodedToken",
    "MalformedToken",
    "bearer_token",
    "decode_unverified",
    "inspect_appointments_token",
    "inspect_rtec_token",
]

_B64URL: Final = re.compile(r"[A-Za-z0-9_-]*")
# An auth-scheme token short enough to echo; anything else may be a bare credential, so is not shown.
_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9!#$%&'*+^_`|~-]{0,19}")
_JSON_TYPES: Final = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}
EXPECTED_BEARER: Final = "Authorization: Bearer <unsigned JWT>"


class MalformedToken(ValueError):
    """The Authorization value or token cannot be read; the message says why (never the token)."""


@dataclass(frozen=True)
class DecodedToken:
    header: dict[str, Any]
    claims: dict[str, Any]
    signature: str


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are accepted by Python's json module but are not JSON.
    raise ValueError(f"{name} is not valid JSON")


def _segment_json(segment: str, part: str) -> dict[str, Any]:
    """One base64url segment decoded to a JSON object, or MalformedToken naming what is wrong."""
    if not segment:
        raise MalformedToken(f"the {part} segment is empty")
    if not _B64URL.fullmatch(segment):
        raise MalformedToken(
            f"the {part} segment is not base64url (characters outside A-Z a-z 0-9 - _; JWTs use no '=' padding)"
        )
    if len(segment) % 4 == 1:
        raise MalformedToken(f"the {part} segment is not base64url (impossible length)")
    try:
        text = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedToken(f"the {part} segment does not decode to UTF-8 text") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:  # exc.msg says what, without echoing the document
        raise MalformedToken(f"the {part} is not JSON ({exc.msg})") from None
    except ValueError as exc:
        raise MalformedToken(f"the {part} is not JSON ({exc})") from None
    except RecursionError:  # hostile input must not crash the demonstrator
        raise MalformedToken(f"the {part} is nested too deeply") from None
    if not isinstance(value, dict):
        kind = _JSON_TYPES.get(type(value), "null")
        raise MalformedToken(f"the {part} is JSON but {kind}, not an object")
    return value


def decode_unverified(token: str) -> DecodedToken:
    """Split and decode a JWS compact token without verifying anything."""
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken(f"expected three dot-separated segments (header.payload.signature), found {len(parts)}")
    return DecodedToken(_segment_json(parts[0], "header"), _segment_json(parts[1], "payload"), parts[2])


def bearer_token(authorization: str | None) -> str:
    """The token from an ``Authorization: Bearer <token>`` value (scheme case-insensitive, RFC 6750 §2.1)."""
    value = (authorization or "").strip()
    if not value:
        raise MalformedToken("no Authorization header")
    scheme, _, rest = value.partition(" ")
    if scheme.lower() != "bearer":
        shown = repr(scheme) if _SCHEME.fullmatch(scheme) else "not a recognisable scheme (value not shown)"
        raise MalformedToken(f"the Authorization scheme is {shown}, not Bearer")
    token = rest.strip(" ")  # RFC 6750 allows one or more spaces after the scheme
    if not token:
        raise MalformedToken("the Bearer scheme carries no token")
    if any(ch.isspace() for ch in token):
        raise MalformedToken("the Bearer token contains whitespace")
    return token


def _decode_bearer(authorization: str | None, req: str) -> tuple[DecodedToken | None, list[Finding]]:
    """The decoded token, or None with the single finding saying why it could not be read."""
    try:
        return decode_unverified(bearer_token(authorization)), []
    except MalformedToken as exc:
        return None, [Finding(req, EXPECTED_BEARER, str(exc), "the token could not be decoded")]


def _check_header(out: FindingCollector, token: DecodedToken, req: str, *, check_typ: bool) -> None:
    alg = token.header.get("alg", ABSENT)
    out.expect(alg == "none", req, 'header alg = "none"', show(alg), "tokens are unsigned")
    if check_typ:
        typ = token.header.get("typ", ABSENT)
        out.expect(typ == "JWT", req, 'header typ = "JWT"', show(typ))
    # The signature is shown only by length: it is part of the secret.
    sig = token.signature
    out.expect(sig == "", req, "an empty signature (the token ends with '.')", f"a {len(sig)}-character signature")


def inspect_appointments_token(
    authorization: str | None,
    *,
    audience: str,
    interaction: Interaction | None,
    now: int,
    practitioner_required: bool = False,
    leeway_s: int = 0,
    expected_issuer: str | None = None,
) -> list[Finding]:
    """JWT-01…JWT-07 for a UEC appointments request's Authorization header value (digest A1.3)."""
    token, findings = _decode_bearer(authorization, "JWT-01")
    if token is None:
        return findings
    out = FindingCollector()
    _check_header(out, token, "JWT-01", check_typ=True)
    out.extend(
        appointments_claim_findings(
            token.claims,
            audience=audience,
            interaction=interaction,
            now=now,
            practitioner_required=practitioner_required,
            leeway_s=leeway_s,
            expected_issuer=expected_issuer,
        )
    )
    return out.findings


def inspect_rtec_token(
    authorization: str | None,
    *,
    endpoint_url: str,
    now: int,
    asid: str | None = None,
    leeway_s: int = 0,
) -> list[Finding]:
    """RTEC-REQ-03 for an RTEC request's Authorization header value (digest B4)."""
    token, findings = _decode_bearer(authorization, RTEC_REQUIREMENT)
    if token is None:
        return findings
    out = FindingCollector()
    _check_header(out, token, RTEC_REQUIREMENT, check_typ=False)
    out.extend(rtec_claim_findings(token.claims, endpoint_url=endpoint_url, now=now, asid=asid, leeway_s=leeway_s))
    return out.findings
