"""Unsigned JWTs for UEC appointments and RTEC: minting them and inspecting received ones."""

from spine_conformance.tokens.inspect import (
    KNOWN_SCOPES,
    DecodedToken,
    MalformedToken,
    bearer_token,
    decode_unverified,
    inspect_appointments_token,
    inspect_rtec_token,
)
from spine_conformance.tokens.mint import (
    TOKEN_LIFETIME_S,
    appointments_claims,
    bearer,
    encode_unsigned,
    mint_appointments_token,
    mint_rtec_token,
    rtec_claims,
    rtec_scope,
)

__all__ = [
    "KNOWN_SCOPES",
    "TOKEN_LIFETIME_S",
    "DecodedToken",
    "MalformedToken",
    "appointments_claims",
    "bearer",
    "bearer_token",
    "decode_unverified",
    "encode_unsigned",
    "inspect_appointments_token",
    "inspect_rtec_token",
    "mint_appointments_token",
    "mint_rtec_token",
    "rtec_claims",
    "rtec_scope",
]
