"""Deliberately defective requests for the negative scenarios, each named as the feature files name it.

Each defect changes exactly one thing about an otherwise spec-conformant request.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

from spine_conformance.appointments.client import ProviderClient, RequestOverrides
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.interactions import Interaction
from spine_conformance.ssp import FROM, INTERACTION_ID, TO, TRACE_ID
from spine_conformance.tokens import KNOWN_SCOPES, TOKEN_LIFETIME_S, appointments_claims, bearer, encode_unsigned
from spine_conformance.tokens.mint import SDS_ROLE_PROFILE_SYSTEM, SDS_USER_ID_SYSTEM

OTHER_ASID = "999999999999"
UNKNOWN_SDS_ID = "UNK"  # "the value UNK if the user is not logged on with an NHS smartcard" (UEC)


def other_interaction(interaction: Interaction) -> Interaction:
    """An interaction that is not ``interaction`` (for a mismatched Ssp-InteractionID)."""
    return Interaction.SEARCH_SLOT if interaction is not Interaction.SEARCH_SLOT else Interaction.READ_METADATA


class UnknownDefect(KeyError):
    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        super().__init__(f"no {kind} defect named {name!r}; the feature file may use: {', '.join(known)}")


def _lookup(table: dict[str, Any], kind: str, name: str) -> Any:
    if name not in table:
        raise UnknownDefect(kind, name, sorted(table))
    return table[name]


# -- Ssp-* headers ----------------------------------------------------------------------------------
HEADER_DEFECTS: dict[str, Callable[[ProviderClient, Interaction], dict[str, str | None]]] = {
    "no Ssp-TraceID header": lambda _, __: {TRACE_ID: None},
    "an Ssp-TraceID that is not a UUID": lambda _, __: {TRACE_ID: "trace-1234"},
    "no Ssp-From header": lambda _, __: {FROM: None},
    "an Ssp-From that is not an ASID": lambda _, __: {FROM: "A11111"},
    "no Ssp-To header": lambda _, __: {TO: None},
    "an Ssp-To that is not the provider's ASID": lambda _, __: {TO: OTHER_ASID},
    "no Ssp-InteractionID header": lambda _, __: {INTERACTION_ID: None},
    "the interaction ID of another interaction": lambda client, interaction: {
        INTERACTION_ID: other_interaction(interaction).interaction_id(client.target.spec.slot_interaction)
    },
}


# What the SSP answers each header defect with (Spine-core error handling): a header the SSP cannot
# read is 400 MISSING_OR_INVALID_HEADER; a well-formed Ssp-To or interaction ID it does not authorise
# for the request is 403 forbidden ("The sender or receiver's ASID is not authorised for this interaction").
SSP_FORBIDDEN = frozenset({"an Ssp-To that is not the provider's ASID", "the interaction ID of another interaction"})


def ssp_refusal_status(name: str) -> int:
    _lookup(HEADER_DEFECTS, "header", name)
    return 403 if name in SSP_FORBIDDEN else 400


def header_defect(
    client: ProviderClient, name: str, interaction: Interaction = Interaction.READ_METADATA
) -> RequestOverrides:
    """Straight to the provider: an SSP in the path would refuse these requests itself."""
    make = _lookup(HEADER_DEFECTS, "header", name)
    return RequestOverrides(headers=make(client, interaction), direct=True)


# -- the JWT ----------------------------------------------------------------------------------------
def _without(claim: str) -> Callable[[dict[str, Any]], str | None]:
    return lambda claims: bearer(encode_unsigned({k: v for k, v in claims.items() if k != claim}))


def _changed(**changes: Any) -> Callable[[dict[str, Any]], str | None]:
    return lambda claims: bearer(encode_unsigned({**claims, **changes}))


def _expired(claims: dict[str, Any]) -> str:
    issued = int(time.time()) - 3600
    return bearer(encode_unsigned({**claims, "iat": issued, "exp": issued + 300}))


def _long_lived(claims: dict[str, Any]) -> str:
    return bearer(encode_unsigned({**claims, "exp": claims["iat"] + 600}))


def _not_base64url(claims: dict[str, Any]) -> str:
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).decode().rstrip("=")
    return bearer(f"{header}.this is not base64url!.")


def _other_scope(scope: str) -> str:
    """A scope that is right for some interaction, but not for this one."""
    return sorted(KNOWN_SCOPES - {scope})[0]


def _lifetime(seconds: int) -> Callable[[dict[str, Any]], str]:
    return lambda claims: bearer(encode_unsigned({**claims, "exp": claims["iat"] + seconds}))


def _exp_before_iat(claims: dict[str, Any]) -> str:
    """exp before iat, yet neither expired nor issued further ahead than clock skew allows (iat = now + 20 s,
    exp = now + 10 s): only a provider comparing exp with iat refuses it, not one checking expiry alone."""
    now = int(time.time())
    return bearer(encode_unsigned({**claims, "iat": now + 20, "exp": now + 10}))


def _claim_resource(claim: str, **changes: Any) -> Callable[[dict[str, Any]], str]:
    """The token with one requesting_* resource changed (``None`` drops an element)."""

    def make(claims: dict[str, Any]) -> str:
        resource = {**claims[claim], **changes}
        return bearer(encode_unsigned({**claims, claim: {k: v for k, v in resource.items() if v is not None}}))

    return make


def _practitioner_without_sds_ids(claims: dict[str, Any]) -> str:
    practitioner = claims["requesting_practitioner"]
    local = [i for i in practitioner["identifier"] if i["system"] not in (SDS_USER_ID_SYSTEM, SDS_ROLE_PROFILE_SYSTEM)]
    return bearer(encode_unsigned({**claims, "requesting_practitioner": {**practitioner, "identifier": local}}))


TOKEN_DEFECTS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "no Authorization header": lambda _: None,
    "a token that is not base64url": _not_base64url,
    "a token without iss": _without("iss"),
    "a token without sub": _without("sub"),
    "a token without aud": _without("aud"),
    "a token without iat": _without("iat"),
    "a token without exp": _without("exp"),
    "a token without reason_for_request": _without("reason_for_request"),
    "a token without requested_scope": _without("requested_scope"),
    "a token without requesting_device": _without("requesting_device"),
    "a token without requesting_organization": _without("requesting_organization"),
    "an expired token": _expired,
    "a token whose exp is iat + 600": _long_lived,
    "a token for another audience": _changed(aud="https://another-provider.example/STU3/1"),
    "a token with the scope of another interaction": lambda claims: bearer(
        encode_unsigned({**claims, "requested_scope": _other_scope(str(claims.get("requested_scope")))})
    ),
    "a token whose reason_for_request is not directcare": _changed(reason_for_request="secondaryuses"),
    # The lifetime boundaries: exactly 300 seconds, not one more or less, and never ending before it starts.
    "a token whose exp is iat + 299": _lifetime(TOKEN_LIFETIME_S - 1),
    "a token whose exp is iat + 301": _lifetime(TOKEN_LIFETIME_S + 1),
    "a token whose exp is before its iat": _exp_before_iat,
    # requesting_* claims present, but not valid resources of their type (UEC fs_authentication.md).
    "a requesting_device that is not a Device": _claim_resource("requesting_device", resourceType="Organization"),
    "a requesting_device without an identifier": _claim_resource("requesting_device", identifier=None),
    "a requesting_organization that is not an Organization": _claim_resource(
        "requesting_organization", resourceType="Device"
    ),
    "a requesting_organization without an ODS code": _claim_resource(
        "requesting_organization", identifier=[{"system": "https://example.org/not-ods", "value": "A11111"}]
    ),
    "a requesting_practitioner that is not a Practitioner": _claim_resource(
        "requesting_practitioner", resourceType="Patient"
    ),
    "a requesting_practitioner whose id is not sub": _claim_resource("requesting_practitioner", id="someone-else"),
    "a requesting_practitioner without SDS identifiers": _practitioner_without_sds_ids,
}


def token_defect(client: ProviderClient, interaction: Interaction, name: str) -> RequestOverrides:
    make = _lookup(TOKEN_DEFECTS, "token", name)
    claims = appointments_claims(client.target.consumer, client.base_url, interaction, now=int(client.clock()))
    return RequestOverrides(headers={"Authorization": make(claims)})


def token_without_smartcard(client: ProviderClient, interaction: Interaction) -> RequestOverrides:
    """A conformant token whose practitioner has no smartcard: SDS user and role profile ids UNK (UEC)."""
    claims = appointments_claims(client.target.consumer, client.base_url, interaction, now=int(client.clock()))
    practitioner = claims["requesting_practitioner"]
    identifiers = [
        {**i, "value": UNKNOWN_SDS_ID} if i["system"] in (SDS_USER_ID_SYSTEM, SDS_ROLE_PROFILE_SYSTEM) else i
        for i in practitioner["identifier"]
    ]
    claims["requesting_practitioner"] = {**practitioner, "identifier": identifiers}
    return RequestOverrides(headers={"Authorization": bearer(encode_unsigned(claims))})


def token_without_practitioner(client: ProviderClient, interaction: Interaction) -> RequestOverrides:
    claims = appointments_claims(
        client.target.consumer, client.base_url, interaction, now=int(client.clock()), include_practitioner=False
    )
    return RequestOverrides(headers={"Authorization": bearer(encode_unsigned(claims))})


# -- slot queries ------------------------------------------------------------------------------------
SLOT_QUERY_DEFECTS: dict[str, Callable[[list[tuple[str, str]]], list[tuple[str, str]]]] = {
    "an unknown search parameter": lambda query: [*query, ("colour", "blue")],
    "a status that is not free or busy": lambda query: [(k, "bogus" if k == "status" else v) for k, v in query],
    "a start that is not a date": lambda query: [
        (k, "genot-a-date" if k == "start" and v.startswith("ge") else v) for k, v in query
    ],
    "no service parameter": lambda query: [(k, v) for k, v in query if k != "schedule.actor:healthcareservice"],
    "an unsupported _include": lambda query: [*query, ("_include", "Slot:not-a-search-parameter")],
}


def slot_query_defect(window: SlotWindow, service_id: str, name: str) -> list[tuple[str, str]]:
    change = _lookup(SLOT_QUERY_DEFECTS, "slot query", name)
    result: list[tuple[str, str]] = change(window.query(service_id))
    return result


CANCEL_CHANGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "the description": lambda current: {"description": str(current.get("description", "")) + " (changed)"},
    "the start and end": lambda current: {"start": current.get("end"), "end": current.get("end")},
    "the patient participant": lambda current: {
        "participant": [{**p, "status": "declined"} for p in current.get("participant") or []]
    },
}


def cancel_change(current: dict[str, Any], name: str) -> dict[str, Any]:
    change = _lookup(CANCEL_CHANGES, "cancellation", name)
    result: dict[str, Any] = change(current)
    return result
