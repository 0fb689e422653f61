"""Fault modes of the provider's token checks that judge tokens differently per interaction or per claim.

The clean provider refuses every token whose inspection (:func:`~spine_conformance.tokens.inspect_appointments_token`)
found anything; these faults drop or add findings, so one check at a time can be shown to fail.
"""

from __future__ import annotations

import re

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.findings import Finding
from spine_conformance.interactions import Interaction
from spine_conformance.tokens import MalformedToken, bearer_token, decode_unverified
from spine_conformance.tokens.mint import SDS_USER_ID_SYSTEM, TOKEN_LIFETIME_S

# The interactions the earlier suite already tried tokens on; fault jwt-unchecked-on-appointments checks only these.
CHECKED_WHEN_LAX = (Interaction.READ_METADATA, Interaction.SEARCH_SLOT)
CLAIM_RESOURCES = ("requesting_device", "requesting_organization", "requesting_practitioner")
_LIFETIME = re.compile(r"^exp - iat = (-?[0-9]+)$")
UNKNOWN_SDS_ID = "UNK"


def faulty_token_findings(
    findings: list[Finding], authorization: str | None, interaction: Interaction, faults: FaultSet
) -> list[Finding]:
    """``findings`` as a provider in one of these fault modes would judge them."""
    if faults.on("jwt-unchecked-on-appointments") and interaction not in CHECKED_WHEN_LAX:
        return []
    if faults.on("jwt-lifetime-leeway"):
        findings = [finding for finding in findings if not _off_by_one_second(finding)]
    if faults.on("jwt-exp-before-iat-accepted"):
        findings = [finding for finding in findings if not _negative_lifetime(finding)]
    if faults.on("jwt-claim-resources-unchecked"):
        findings = [finding for finding in findings if not _about_claim_content(finding)]
    if faults.on("jwt-rejects-unk") and _practitioner_without_smartcard(authorization):
        findings = [*findings, Finding("JWT-07", "an SDS user id", UNKNOWN_SDS_ID)]
    return findings


def _off_by_one_second(finding: Finding) -> bool:
    match = _LIFETIME.match(finding.actual)
    return match is not None and abs(int(match.group(1)) - TOKEN_LIFETIME_S) <= 1


def _negative_lifetime(finding: Finding) -> bool:
    match = _LIFETIME.match(finding.actual)
    return match is not None and int(match.group(1)) < 0


def _about_claim_content(finding: Finding) -> bool:
    """A JWT-05…07 finding about what a requesting_* claim holds (not that the claim is missing)."""
    if finding.requirement not in ("JWT-05", "JWT-06", "JWT-07"):
        return False
    claim = finding.expected.split(":", 1)[0]
    return not (claim in CLAIM_RESOURCES and finding.actual == "(absent)")


def _practitioner_without_smartcard(authorization: str | None) -> bool:
    try:
        claims = decode_unverified(bearer_token(authorization)).claims
    except MalformedToken:
        return False
    practitioner = claims.get("requesting_practitioner")
    identifiers = practitioner.get("identifier") if isinstance(practitioner, dict) else None
    # The SDS user id: the role profile id is UNK in the harness's own default identity too.
    return any(
        isinstance(identifier, dict)
        and identifier.get("system") == SDS_USER_ID_SYSTEM
        and identifier.get("value") == UNKNOWN_SDS_ID
        for identifier in identifiers or []
    )
