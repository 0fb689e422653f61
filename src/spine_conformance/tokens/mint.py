"""Minting the unsigned JWTs that consumers send: the UEC appointments model and the flat RTEC model.

Both models use ``alg: none`` with an empty signature (digest A1.3 and B4). The JWT is built with
the standard library rather than PyJWT so that callers (and tests) can mint deliberately
non-conformant tokens, which PyJWT's claim-type checks would refuse.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from spine_conformance.config.model import ConsumerConfig
from spine_conformance.interactions import Interaction

# Both token models live exactly five minutes (digest A1.3 exp, B4 exp).
TOKEN_LIFETIME_S = 300
DIRECT_CARE = "directcare"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SDS_USER_ID_SYSTEM = "https://fhir.nhs.uk/Id/sds-user-id"
SDS_ROLE_PROFILE_SYSTEM = "https://fhir.nhs.uk/Id/sds-role-profile-id"
UNSIGNED_HEADER: Mapping[str, str] = {"alg": "none", "typ": "JWT"}


def _b64url_json(value: Mapping[str, Any]) -> str:
    # Compact separators and insertion order make the encoding deterministic.
    raw = json.dumps(dict(value), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def encode_unsigned(claims: Mapping[str, Any], header: Mapping[str, Any] | None = None) -> str:
    """``b64url(header).b64url(claims).``: the trailing dot is the empty signature, which must be kept."""
    return f"{_b64url_json(UNSIGNED_HEADER if header is None else header)}.{_b64url_json(claims)}."


def _now(now: int | None) -> int:
    return int(time.time()) if now is None else int(now)


def _local_user_system(endpoint_url: str) -> str:
    # The practitioner's local identifier lives in a system owned by the consumer (digest A1.3).
    return endpoint_url.rstrip("/") + "/user-id"


def _device(consumer: ConsumerConfig) -> dict[str, Any]:
    return {
        "resourceType": "Device",
        "id": "1",
        "identifier": [{"system": consumer.endpoint_url, "value": consumer.asid}],
        "model": consumer.device_model,
        "version": consumer.device_version,
    }


def _organization(consumer: ConsumerConfig) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": "1",
        "identifier": [{"system": ODS_SYSTEM, "value": consumer.ods_code}],
        "name": consumer.organization_name,
    }


def _practitioner(consumer: ConsumerConfig) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": consumer.sds_user_id,  # must equal sub
        "identifier": [
            {"system": SDS_USER_ID_SYSTEM, "value": consumer.sds_user_id},
            {"system": SDS_ROLE_PROFILE_SYSTEM, "value": consumer.sds_role_profile_id},
            {"system": _local_user_system(consumer.endpoint_url), "value": consumer.sds_user_id},
        ],
        "name": [
            {
                "family": consumer.practitioner_family,
                "given": list(consumer.practitioner_given),
                "prefix": list(consumer.practitioner_prefix),
            }
        ],
    }


def appointments_claims(
    consumer: ConsumerConfig,
    audience: str,
    interaction: Interaction,
    now: int | None = None,
    include_practitioner: bool = True,
) -> dict[str, Any]:
    """The UEC claim set (digest A1.3) for one request to the provider at ``audience``."""
    iat = _now(now)
    claims: dict[str, Any] = {
        "iss": consumer.endpoint_url,
        "sub": consumer.sds_user_id,
        "aud": audience,
        "exp": iat + TOKEN_LIFETIME_S,
        "iat": iat,
        "reason_for_request": DIRECT_CARE,
        "requested_scope": interaction.spec.scope,
        "requesting_device": _device(consumer),
        "requesting_organization": _organization(consumer),
    }
    # Optional since 2020-12 (digest A1.3): providers must cope with it absent.
    if include_practitioner:
        claims["requesting_practitioner"] = _practitioner(consumer)
    return claims


def mint_appointments_token(
    consumer: ConsumerConfig,
    audience: str,
    interaction: Interaction,
    now: int | None = None,
    include_practitioner: bool = True,
) -> str:
    return encode_unsigned(appointments_claims(consumer, audience, interaction, now, include_practitioner))


def rtec_scope(endpoint_url: str) -> str:
    """RTEC's requested_scope: the path of the endpoint URL (digest B4)."""
    return urlsplit(endpoint_url).path or "/"


def rtec_claims(consumer: ConsumerConfig, endpoint_url: str, now: int | None = None) -> dict[str, str | int]:
    """The flat RTEC claim set (digest B4): every identity claim is a plain string."""
    iat = _now(now)
    return {
        "iss": consumer.asid,
        "sub": consumer.sds_user_id,
        "aud": endpoint_url,
        "exp": iat + TOKEN_LIFETIME_S,
        "iat": iat,
        "reason_for_request": DIRECT_CARE,
        "requested_scope": rtec_scope(endpoint_url),
        "requesting_device": consumer.asid,
        "requesting_organization": consumer.ods_code,
        "requesting_practitioner": consumer.sds_user_id,
    }


def mint_rtec_token(consumer: ConsumerConfig, endpoint_url: str, now: int | None = None) -> str:
    return encode_unsigned(rtec_claims(consumer, endpoint_url, now))


def bearer(token: str) -> str:
    """The Authorization header value for ``token``."""
    return "Bearer " + token
