"""How each fault mode changes what the reference consumer sends (pure functions, no I/O).

With no faults every function returns the conformant value, built by the library that the
harness itself uses (``ssp``, ``tokens``); each fault then changes exactly one thing.
"""

from __future__ import annotations

import copy
import re
import ssl
import warnings
from collections.abc import Collection, Mapping
from typing import Any

from spine_conformance.config.model import ConsumerConfig, TlsConfig
from spine_conformance.http.client import tls_context
from spine_conformance.interactions import INTERACTIONS, Interaction
from spine_conformance.ssp import FROM, INTERACTION_ID, TO, TRACE_ID, join_ssp_url
from spine_conformance.tokens import appointments_claims, encode_unsigned, rtec_claims

Faults = Collection[str]

# A well-formed UUID, but the same one every time: SSP-HDR-01 wants one per request.
STALE_TRACE_ID = "5f0c7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6"
NOT_A_UUID = "trace-0001"
WRONG_SSP_TO = "999999999999"
SIGNING_KEY = "secret"  # the key TKW's token generator signs with (digest A1.5)
LONG_LIFETIME_S = 600
WRONG_REASON = "secondaryuses"
LOCAL_ORGANIZATION_SYSTEM = "https://consumer.example/Id/local-organization-code"
EXTRA_RTEC_FIELD = ("pharmacyNote", "collected by a representative")
# A parameter a careless consumer might guess for the patient search (the API defines another).
WRONG_PATIENT_PARAMETER = "patient.identifier"
PLAIN_JSON = "application/json"  # JSON, but not the FHIR media type FHIR STU3 requires of a client
ANY_MEDIA_TYPE = "*/*"
LOCUM_ODS_CODE = "FFFFF"  # the national locum organisation (RTEC: never to be sent)
CONSUMER_CHOSEN_ID = "chosen-by-the-consumer"
CHANGED_DESCRIPTION_SUFFIX = " (edited while cancelling)"


# -- TLS -------------------------------------------------------------------------------------------
# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: verify everything about a certificate but its validity dates.
NO_CHECK_TIME = 0x200000


def client_tls_context(tls: TlsConfig, faults: Faults) -> ssl.SSLContext:
    """The client TLS context (verification on), ignoring certificate expiry under tls-expiry-unchecked."""
    context = tls_context(tls)
    if "tls-expiry-unchecked" in faults:
        context.verify_flags |= NO_CHECK_TIME
    return context


# -- SSP -------------------------------------------------------------------------------------------
def request_url(ssp_url: str, provider_url: str, faults: Faults) -> str:
    """SSP-URL-01: the SSP URL and the provider URL joined by exactly one '/'."""
    if "double-slash-url" in faults and ssp_url:
        return ssp_url.rstrip("/") + "//" + provider_url.lstrip("/")
    return join_ssp_url(ssp_url, provider_url)


def ssp_headers(headers: Mapping[str, str], faults: Faults) -> dict[str, str]:
    """The four Ssp-* headers (built by ``SspIdentity``) as the faults change them."""
    changed = dict(headers)
    if "stale-trace-id" in faults:
        changed[TRACE_ID] = STALE_TRACE_ID
    if "trace-id-not-uuid" in faults:
        changed[TRACE_ID] = NOT_A_UUID
    if "no-ssp-from" in faults:
        changed.pop(FROM, None)
    if "wrong-ssp-to" in faults:
        changed[TO] = WRONG_SSP_TO
    if "wrong-interaction-id" in faults:
        changed[INTERACTION_ID] = Interaction.READ_METADATA.spec.interaction_id
    return changed


def media_type_headers(headers: Mapping[str, str], faults: Faults) -> dict[str, str]:
    """CON-HTTP-01: Accept and (with a body) Content-Type as FHIR media types, unless a fault changes them."""
    changed = dict(headers)
    if "content-type-plain-json" in faults and "Content-Type" in changed:
        changed["Content-Type"] = PLAIN_JSON
    if "accept-any" in faults:
        changed["Accept"] = ANY_MEDIA_TYPE
    return changed


# -- the appointments JWT --------------------------------------------------------------------------
def other_scope(interaction: Interaction) -> str:
    """A scope that belongs to another interaction (JWT-04 wants the interaction's own)."""
    wanted = interaction.spec.scope
    return next(spec.scope for spec in INTERACTIONS.values() if spec.scope != wanted)


def appointments_token_claims(
    consumer: ConsumerConfig, audience: str, interaction: Interaction, faults: Faults, now: int
) -> dict[str, Any]:
    """The UEC claim set for one request, practitioner included, changed by the token faults."""
    claims = appointments_claims(consumer, audience, interaction, now=now, include_practitioner=True)
    if "long-lived-token" in faults:
        claims["exp"] = claims["iat"] + LONG_LIFETIME_S
    if "wrong-reason" in faults:
        claims["reason_for_request"] = WRONG_REASON
    if "wrong-scope" in faults:
        claims["requested_scope"] = other_scope(interaction)
    if "bad-device" in faults:
        claims["requesting_device"].pop("identifier", None)
    if "org-without-ods" in faults:
        claims["requesting_organization"]["identifier"][0]["system"] = LOCAL_ORGANIZATION_SYSTEM
    if "practitioner-id-mismatch" in faults:
        claims["requesting_practitioner"]["id"] = f"{claims['sub']}-other"
    return claims


def encode_appointments_token(claims: Mapping[str, Any], faults: Faults) -> str:
    """``alg: none`` with an empty signature (JWT-01), or HS256 under the signed-token fault."""
    if "signed-token" not in faults:
        return encode_unsigned(claims)
    import jwt  # PyJWT: only this fault needs it, and the consumer must start fast

    with warnings.catch_warnings():
        # PyJWT warns that "secret" is a short HMAC key; that weakness is the point of the fault.
        warnings.simplefilter("ignore")
        return jwt.encode(dict(claims), SIGNING_KEY, algorithm="HS256", headers={"typ": "JWT"})


# -- RTEC ------------------------------------------------------------------------------------------
def spaced_nhs_number(nhs_number: str) -> str:
    """``9434765919`` → ``943 476 5919``, the way NHS numbers are printed for people."""
    digits = nhs_number.replace(" ", "")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def rtec_body(fields: Mapping[str, str], faults: Faults) -> dict[str, str]:
    """RTEC-REQ-01/02/06: exactly the five fields, as validated and as the record has them, unless a fault
    changes them."""
    body = dict(fields)
    if "rtec-spaced-nhs-number" in faults:
        body["nhsNumber"] = spaced_nhs_number(body["nhsNumber"])
    if "rtec-extra-field" in faults:
        name, value = EXTRA_RTEC_FIELD
        body[name] = value
    if "rtec-no-postcode" in faults:
        body.pop("postcode", None)
    if "rtec-surname-letters-only" in faults:  # O'Brien-Smith becomes OBrienSmith
        body["surname"] = re.sub(r"[^A-Za-z]", "", body["surname"])
    return body


def rtec_token_claims(
    consumer: ConsumerConfig, endpoint_url: str, faults: Faults, now: int, state: str = ""
) -> dict[str, Any]:
    """RTEC-REQ-03: the flat RTEC claims, or nested appointments-style ones under rtec-nested-claims.

    requesting_organization is always the organisation the user works for (``consumer.ods_code``),
    also for a locum whose role is registered with FFFFF (RTEC-REQ-05), unless rtec-locum-org.
    """
    flat: dict[str, Any] = dict(rtec_claims(consumer, endpoint_url, now=now))
    if "rtec-locum-org" in faults and state == "locum-user":
        flat["requesting_organization"] = LOCUM_ODS_CODE
    if "rtec-nested-claims" not in faults:
        return flat
    # Only the requesting_* claims change shape: everything else stays as RTEC wants it.
    nested = appointments_claims(consumer, endpoint_url, Interaction.READ_METADATA, now=now, include_practitioner=True)
    for claim in ("requesting_device", "requesting_organization", "requesting_practitioner"):
        flat[claim] = copy.deepcopy(nested[claim])
    return flat


def encode_rtec_token(claims: Mapping[str, Any], faults: Faults) -> str:
    """Unsigned, with the header of the page's example ({"alg": "none", "typ": "JWT"}), or without typ."""
    return encode_unsigned(claims, {"alg": "none"} if "rtec-no-typ" in faults else None)


def rtec_headers(authorization: str, consumer_asid: str, faults: Faults) -> dict[str, str]:
    """JSON in and out, the bearer token, and Ssp-From carrying the ASID (RTEC-REQ-04)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": authorization}
    if "rtec-no-ssp-from" not in faults:
        headers[FROM] = consumer_asid
    return headers


# -- what the appointments actions ask ----------------------------------------------------------------
def slot_query(query: list[tuple[str, str]], faults: Faults) -> list[tuple[str, str]]:
    """The slot search query, without its start window under slot-search-without-window."""
    if "slot-search-without-window" in faults:
        return [(name, value) for name, value in query if name != "start"]
    return query


def patient_search_parameter(parameter: str, faults: Faults) -> str:
    return WRONG_PATIENT_PARAMETER if "patient-search-wrong-parameter" in faults else parameter


def booking_body(body: dict[str, Any], faults: Faults) -> dict[str, Any]:
    """The booking request, with an id the provider is meant to assign under booking-refusal-ignored."""
    return {"id": CONSUMER_CHOSEN_ID, **body} if "booking-refusal-ignored" in faults else body


def cancel_changes(appointment: Mapping[str, Any], faults: Faults) -> dict[str, Any]:
    """What the cancel PUT changes besides the status (nothing, unless cancel-changes-description)."""
    if "cancel-changes-description" not in faults:
        return {}
    return {"description": str(appointment.get("description", "")) + CHANGED_DESCRIPTION_SUFFIX}
