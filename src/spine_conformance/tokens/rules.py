"""Claim rules for the two token models: UEC appointments (JWT-02…JWT-07) and flat RTEC (RTEC-REQ-03).

Every rule that fails adds its own finding, so one inspection reports all violations at once.
Findings show claim names and the offending claim values (truncated), never the token itself.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final
from urllib.parse import urlsplit

from spine_conformance.findings import Finding, FindingCollector
from spine_conformance.interactions import INTERACTIONS, Interaction
from spine_conformance.tokens.mint import (
    DIRECT_CARE,
    ODS_SYSTEM,
    SDS_ROLE_PROFILE_SYSTEM,
    SDS_USER_ID_SYSTEM,
    TOKEN_LIFETIME_S,
    rtec_scope,
)

KNOWN_SCOPES: Final[frozenset[str]] = frozenset(spec.scope for spec in INTERACTIONS.values())
RTEC_REQUIREMENT: Final = "RTEC-REQ-03"
# Every RTEC claim but iat/exp is a flat string (digest B4).
_REQUESTING: Final = ("requesting_device", "requesting_organization", "requesting_practitioner")
RTEC_STRING_CLAIMS: Final = ("iss", "sub", "aud", "reason_for_request", "requested_scope", *_REQUESTING)
MAX_SHOWN: Final = 80
_ASID = re.compile(r"[0-9]{12}")
_ODS_CODE = re.compile(r"[A-Z0-9]{3,8}")
LOCUM_ODS_CODE: Final = "FFFFF"


class _Absent:
    """Marks a claim or field that is not there at all (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = _Absent()


def show(value: object) -> str:
    """A claim value for a finding: JSON-ish, truncated so no long value is echoed in full."""
    if isinstance(value, _Absent):
        return "(absent)"
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        text = f"(a {type(value).__name__} that cannot be shown)"
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def non_empty_str(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def strip_slash(url: str) -> str:
    """Drop one trailing '/', so a base URL matches with or without it."""
    return url[:-1] if url.endswith("/") else url


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _int_claim(out: FindingCollector, claims: dict[str, Any], name: str, req: str) -> int | None:
    value = claims.get(name, ABSENT)
    # bool is an int subclass in Python but not a JSON number; floats and strings are wrong too.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    out.add(req, f"{name}: integer Unix seconds", show(value))
    return None


def check_times(out: FindingCollector, claims: dict[str, Any], req: str, now: int, leeway_s: int) -> None:
    """iat and exp are integers, exp = iat + 300, not expired and not issued in the future."""
    iat = _int_claim(out, claims, "iat", req)
    exp = _int_claim(out, claims, "exp", req)
    if exp is not None:
        out.expect(exp + leeway_s > now, req, f"exp later than now ({now})", show(exp), "token expired")
    if iat is not None:
        out.expect(iat <= now + leeway_s, req, f"iat not after now ({now})", show(iat), "iat is in the future")
    if iat is not None and exp is not None:
        out.expect(
            exp == iat + TOKEN_LIFETIME_S,
            req,
            f"exp = iat + {TOKEN_LIFETIME_S}",
            f"exp - iat = {exp - iat}",
            "tokens live exactly five minutes",
        )


def _expect_value(out: FindingCollector, req: str, where: str, value: object, wanted: str) -> None:
    out.expect(value == wanted, req, f"{where} = {show(wanted)}", show(value))


def _identifiers(resource: dict[str, Any]) -> list[dict[str, Any]]:
    ids = resource.get("identifier")
    return [i for i in ids if isinstance(i, dict)] if isinstance(ids, list) else []


def _has_identifier(resource: dict[str, Any], system: str | None) -> bool:
    """An identifier with a value and the given system (or any non-empty system when None)."""
    return any(
        non_empty_str(i.get("value"))
        and (non_empty_str(i.get("system")) if system is None else i.get("system") == system)
        for i in _identifiers(resource)
    )


# --- UEC appointments (digest A1.3) ---------------------------------------------------------------


def _check_identity(out: FindingCollector, claims: dict[str, Any], audience: str, expected_issuer: str | None) -> None:
    iss = claims.get("iss", ABSENT)
    if not non_empty_str(iss):
        out.add("JWT-02", "iss: the consumer's endpoint URL", show(iss))
    else:
        out.expect(_is_http_url(iss), "JWT-02", "iss: an absolute http(s) URL", show(iss))
        if expected_issuer is not None:
            same = strip_slash(iss) == strip_slash(expected_issuer)
            out.expect(same, "JWT-02", f"iss = {expected_issuer}", show(iss))
    sub = claims.get("sub", ABSENT)
    out.expect(non_empty_str(sub), "JWT-02", "sub: the user id (non-empty string)", show(sub))
    aud = claims.get("aud", ABSENT)
    if isinstance(aud, list):
        out.add("JWT-02", f"aud = {audience} (a single string)", show(aud), "a list aud is not accepted")
    elif not isinstance(aud, str) or strip_slash(aud) != strip_slash(audience):
        out.add("JWT-02", f"aud = {audience}", show(aud), "aud is the provider's FHIR base URL")


def _check_scope(out: FindingCollector, scope: object, interaction: Interaction | None) -> None:
    if interaction is None:
        known = ", ".join(sorted(KNOWN_SCOPES))
        known_scope = isinstance(scope, str) and scope in KNOWN_SCOPES  # a list or dict is unhashable
        out.expect(known_scope, "JWT-04", f"requested_scope one of {known}", show(scope))
    else:
        wanted = interaction.spec.scope
        out.expect(scope == wanted, "JWT-04", f"requested_scope = {wanted} for {interaction.value}", show(scope))


def _resource(out: FindingCollector, req: str, claim: str, value: object, kind: str) -> dict[str, Any] | None:
    """The claim as a FHIR resource of type ``kind``, or None (with a finding) if it is not an object."""
    if not isinstance(value, dict):
        out.add(req, f"{claim}: a minimal {kind} resource (JSON object)", show(value))
        return None
    _expect_value(out, req, f"{claim}.resourceType", value.get("resourceType", ABSENT), kind)
    return value


def _check_device(out: FindingCollector, value: object) -> None:
    device = _resource(out, "JWT-05", "requesting_device", value, "Device")
    if device is None:
        return
    out.expect(
        _has_identifier(device, None),
        "JWT-05",
        "requesting_device.identifier: at least one with system and value",
        show(device.get("identifier", ABSENT)),
    )
    for name in ("model", "version"):
        field = device.get(name, ABSENT)
        out.expect(non_empty_str(field), "JWT-05", f"requesting_device.{name}: non-empty string", show(field))


def _check_organization(out: FindingCollector, value: object) -> None:
    org = _resource(out, "JWT-06", "requesting_organization", value, "Organization")
    if org is None:
        return
    out.expect(
        _has_identifier(org, ODS_SYSTEM),
        "JWT-06",
        f"requesting_organization.identifier: system {ODS_SYSTEM} with an ODS code",
        show(org.get("identifier", ABSENT)),
    )
    name = org.get("name", ABSENT)
    out.expect(non_empty_str(name), "JWT-06", "requesting_organization.name: non-empty string", show(name))


def _check_practitioner(out: FindingCollector, claims: dict[str, Any], required: bool) -> None:
    value = claims.get("requesting_practitioner", ABSENT)
    if value is ABSENT:
        # Optional since 2020-12 (digest A1.3) unless the target's configuration demands it.
        out.expect(not required, "JWT-07", "requesting_practitioner: present (required by the target)", "(absent)")
        return
    practitioner = _resource(out, "JWT-07", "requesting_practitioner", value, "Practitioner")
    if practitioner is None:
        return
    pid, sub = practitioner.get("id", ABSENT), claims.get("sub")
    if non_empty_str(sub):
        out.expect(pid == sub, "JWT-07", f"requesting_practitioner.id = sub ({show(sub)})", show(pid))
    else:  # a bad sub is already a JWT-02 finding; still require some id
        out.expect(non_empty_str(pid), "JWT-07", "requesting_practitioner.id: non-empty string", show(pid))
    for system in (SDS_USER_ID_SYSTEM, SDS_ROLE_PROFILE_SYSTEM):
        out.expect(
            _has_identifier(practitioner, system),
            "JWT-07",
            f"requesting_practitioner.identifier: system {system} with a value",
            show(practitioner.get("identifier", ABSENT)),
        )
    names = practitioner.get("name", ABSENT)
    has_family = isinstance(names, list) and any(isinstance(n, dict) and non_empty_str(n.get("family")) for n in names)
    out.expect(has_family, "JWT-07", "requesting_practitioner.name: a name with family", show(names))


def appointments_claim_findings(
    claims: dict[str, Any],
    *,
    audience: str,
    interaction: Interaction | None,
    now: int,
    practitioner_required: bool,
    leeway_s: int,
    expected_issuer: str | None,
) -> list[Finding]:
    """JWT-02…JWT-07 over a decoded UEC claim set. ``requesting_system`` (Spine-core) is ignored."""
    out = FindingCollector()
    _check_identity(out, claims, audience, expected_issuer)
    check_times(out, claims, "JWT-02", now, leeway_s)
    _expect_value(out, "JWT-03", "reason_for_request", claims.get("reason_for_request", ABSENT), DIRECT_CARE)
    _check_scope(out, claims.get("requested_scope", ABSENT), interaction)
    _check_device(out, claims.get("requesting_device", ABSENT))
    _check_organization(out, claims.get("requesting_organization", ABSENT))
    _check_practitioner(out, claims, practitioner_required)
    return out.findings


# --- RTEC (digest B4) -----------------------------------------------------------------------------


def _rtec_strings(out: FindingCollector, claims: dict[str, Any]) -> dict[str, str]:
    """The string claims that are present and flat; absent or structured ones become findings."""
    found: dict[str, str] = {}
    for name in RTEC_STRING_CLAIMS:
        value = claims.get(name, ABSENT)
        if isinstance(value, str):
            found[name] = value
        elif value is ABSENT:
            out.add(RTEC_REQUIREMENT, f"{name}: present", "(absent)")
        else:
            detail = "RTEC claims are flat strings, not FHIR resources" if isinstance(value, dict) else ""
            out.add(RTEC_REQUIREMENT, f"{name}: a flat string", show(value), detail)
    return found


def _check_rtec_iss(out: FindingCollector, iss: str, asid: str | None) -> None:
    req = RTEC_REQUIREMENT
    out.expect(_ASID.fullmatch(iss) is not None, req, "iss: the consumer's ASID (12 digits)", show(iss))
    if asid is not None:
        out.expect(iss == asid, req, f"iss = {asid} (the configured ASID)", show(iss))


def _check_rtec_org(out: FindingCollector, org: str) -> None:
    req = RTEC_REQUIREMENT
    out.expect(_ODS_CODE.fullmatch(org) is not None, req, "requesting_organization: an ODS code", show(org))
    out.expect(
        org != LOCUM_ODS_CODE,
        req,
        "requesting_organization: the current organisation's ODS code",
        show(org),
        "FFFFF is the locum organisation, which must never be sent",
    )


def rtec_claim_findings(
    claims: dict[str, Any], *, endpoint_url: str, now: int, asid: str | None, leeway_s: int
) -> list[Finding]:
    """Every RTEC-REQ-03 claim rule over a decoded RTEC claim set."""
    out = FindingCollector()
    req = RTEC_REQUIREMENT
    text = _rtec_strings(out, claims)
    check_times(out, claims, req, now, leeway_s)
    if "iss" in text:
        _check_rtec_iss(out, text["iss"], asid)
    if "sub" in text:
        out.expect(non_empty_str(text["sub"]), req, "sub: the SDS user id", show(text["sub"]))
    if "aud" in text:
        same = strip_slash(text["aud"]) == strip_slash(endpoint_url)
        out.expect(same, req, f"aud = {endpoint_url}", show(text["aud"]))
    if "requested_scope" in text:
        _expect_value(out, req, "requested_scope", text["requested_scope"], rtec_scope(endpoint_url))
    if "reason_for_request" in text:
        _expect_value(out, req, "reason_for_request", text["reason_for_request"], DIRECT_CARE)
    if "requesting_device" in text and "iss" in text:
        _expect_value(out, req, "requesting_device (= iss, the ASID)", text["requesting_device"], text["iss"])
    if "requesting_organization" in text:
        _check_rtec_org(out, text["requesting_organization"])
    if "requesting_practitioner" in text and "sub" in text:
        _expect_value(out, req, "requesting_practitioner (= sub)", text["requesting_practitioner"], text["sub"])
    return out.findings
