"""Unit tests for the token library: minting both JWT models and inspecting received tokens."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from spine_conformance.config.model import ConsumerConfig
from spine_conformance.findings import Finding
from spine_conformance.interactions import INTERACTIONS, Interaction
from spine_conformance.tokens import (
    KNOWN_SCOPES,
    MalformedToken,
    appointments_claims,
    bearer,
    bearer_token,
    decode_unverified,
    encode_unsigned,
    inspect_appointments_token,
    inspect_rtec_token,
    mint_appointments_token,
    mint_rtec_token,
    rtec_claims,
)

NOW = 1_700_000_000
AUDIENCE = "https://provider.example/STU3/1"
RTEC_URL = "https://rtec.example/rtec-api-gateway/v1.0.0/search"
CONSUMER = ConsumerConfig()
CREATE = Interaction.CREATE_APPOINTMENT

Claims = dict[str, Any]


def ids(findings: list[Finding]) -> set[str]:
    return {f.requirement for f in findings}


def good_claims(interaction: Interaction = CREATE) -> Claims:
    return appointments_claims(CONSUMER, AUDIENCE, interaction, now=NOW)


def inspect_claims(
    claims: Claims, header: dict[str, Any] | None = None, interaction: Interaction | None = CREATE, **kw: Any
) -> list[Finding]:
    token = encode_unsigned(claims, header)
    return inspect_appointments_token(bearer(token), audience=AUDIENCE, interaction=interaction, now=NOW, **kw)


def inspect_rtec_claims(claims: Claims, **kw: Any) -> list[Finding]:
    token = encode_unsigned(claims)
    return inspect_rtec_token(bearer(token), endpoint_url=RTEC_URL, now=NOW, asid=CONSUMER.asid, **kw)


def b64url_json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


# --- minting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("interaction", list(Interaction))
def test_minted_token_inspects_clean_for_every_interaction(interaction: Interaction) -> None:
    token = mint_appointments_token(CONSUMER, AUDIENCE, interaction, now=NOW)
    auth = bearer(token)
    kw: dict[str, Any] = {"audience": AUDIENCE, "now": NOW, "practitioner_required": True}
    assert inspect_appointments_token(auth, interaction=interaction, **kw) == []
    assert inspect_appointments_token(auth, interaction=None, expected_issuer=CONSUMER.endpoint_url, **kw) == []


def test_token_shape_header_and_lifetime() -> None:
    token = mint_appointments_token(CONSUMER, AUDIENCE, CREATE, now=NOW)
    assert token.endswith(".")
    header, payload, signature = token.split(".")
    assert signature == ""
    assert b64url_json(header) == {"alg": "none", "typ": "JWT"}
    claims = b64url_json(payload)
    assert claims["iat"] == NOW and claims["exp"] == NOW + 300
    # PyJWT agrees on what the token says.
    assert jwt.get_unverified_header(token) == {"alg": "none", "typ": "JWT"}
    assert jwt.decode(token, options={"verify_signature": False}) == claims


def test_encoding_is_deterministic_and_compact() -> None:
    claims = good_claims()
    assert encode_unsigned(claims) == encode_unsigned(copy.deepcopy(claims))
    payload = base64.urlsafe_b64decode(encode_unsigned(claims).split(".")[1] + "==").decode()
    assert ", " not in payload and ": " not in payload


def test_appointments_claims_follow_the_uec_claim_list() -> None:
    claims = good_claims(Interaction.SEARCH_SLOT)
    assert claims["iss"] == CONSUMER.endpoint_url and claims["sub"] == CONSUMER.sds_user_id
    assert claims["aud"] == AUDIENCE and claims["reason_for_request"] == "directcare"
    assert claims["requested_scope"] == "organization/slot.read"
    assert claims["requesting_device"]["identifier"] == [{"system": CONSUMER.endpoint_url, "value": CONSUMER.asid}]
    org = claims["requesting_organization"]
    assert org["identifier"][0]["value"] == CONSUMER.ods_code and org["name"] == CONSUMER.organization_name
    practitioner = claims["requesting_practitioner"]
    assert practitioner["id"] == claims["sub"]
    systems = [i["system"] for i in practitioner["identifier"]]
    assert systems[:2] == ["https://fhir.nhs.uk/Id/sds-user-id", "https://fhir.nhs.uk/Id/sds-role-profile-id"]
    assert systems[2] == "https://consumer.example/user-id"
    assert practitioner["name"] == [{"family": "Assurance", "given": ["Tester"], "prefix": ["Dr"]}]
    without = appointments_claims(CONSUMER, AUDIENCE, CREATE, now=NOW, include_practitioner=False)
    assert "requesting_practitioner" not in without


def test_known_scopes() -> None:
    assert {spec.scope for spec in INTERACTIONS.values()} == KNOWN_SCOPES
    assert "patient/appointment.write" in KNOWN_SCOPES


# --- appointments inspection: claim matrix -------------------------------------------------------

CLAIM_MATRIX = [
    ("iss", "JWT-02"),
    ("sub", "JWT-02"),
    ("aud", "JWT-02"),
    ("iat", "JWT-02"),
    ("exp", "JWT-02"),
    ("reason_for_request", "JWT-03"),
    ("requested_scope", "JWT-04"),
    ("requesting_device", "JWT-05"),
    ("requesting_organization", "JWT-06"),
    ("requesting_practitioner", "JWT-07"),
]


@pytest.mark.parametrize(("claim", "requirement"), CLAIM_MATRIX)
def test_each_missing_claim_gives_its_requirement(claim: str, requirement: str) -> None:
    claims = good_claims()
    del claims[claim]
    findings = inspect_claims(claims, practitioner_required=True)
    assert ids(findings) == {requirement}
    assert any(claim in f.expected for f in findings)


def _set(path: str, value: Any) -> Callable[[Claims], None]:
    """A mutation setting claims[a][b]… = value (or deleting it when value is ...)."""

    def mutate(claims: Claims) -> None:
        *parents, leaf = path.split(".")
        target: Any = claims
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is ...:
            del target[leaf]
        else:
            target[leaf] = value

    return mutate


# (claim path, new value or ... to delete, inspection keywords, expected requirement IDs; empty = clean)
SCENARIOS: list[tuple[str, Any, dict[str, Any], set[str]]] = [
    ("iss", "not-a-url", {}, {"JWT-02"}),
    ("iss", "", {}, {"JWT-02"}),
    ("iss", CONSUMER.endpoint_url, {"expected_issuer": "https://someone.else/"}, {"JWT-02"}),
    ("iss", CONSUMER.endpoint_url, {"expected_issuer": "https://consumer.example"}, set()),
    ("sub", 10019, {}, {"JWT-02"}),
    ("aud", "https://other.example/STU3/1", {}, {"JWT-02"}),
    ("aud", [AUDIENCE], {}, {"JWT-02"}),
    ("aud", AUDIENCE + "/", {}, set()),
    ("iat", float(NOW), {}, {"JWT-02"}),
    ("iat", str(NOW), {}, {"JWT-02"}),
    ("exp", True, {}, {"JWT-02"}),
    ("exp", NOW + 600, {}, {"JWT-02"}),
    ("reason_for_request", "secondaryuses", {}, {"JWT-03"}),
    ("requested_scope", "patient/appointment.read", {}, {"JWT-04"}),  # wrong for create
    ("requested_scope", "patient/appointment.read", {"interaction": None}, set()),
    ("requested_scope", "patient/*.read", {"interaction": None}, {"JWT-04"}),  # a GP Connect scope
    ("requested_scope", ["patient/appointment.write"], {"interaction": None}, {"JWT-04"}),
    ("requesting_device", "200000000359", {}, {"JWT-05"}),
    ("requesting_device.resourceType", "Organization", {}, {"JWT-05"}),
    ("requesting_device.identifier", [], {}, {"JWT-05"}),
    ("requesting_device.model", ..., {}, {"JWT-05"}),
    ("requesting_device.version", "", {}, {"JWT-05"}),
    ("requesting_organization.resourceType", ..., {}, {"JWT-06"}),
    ("requesting_organization.identifier.0.system", "https://example.org/ods", {}, {"JWT-06"}),
    ("requesting_organization.identifier.0.value", "", {}, {"JWT-06"}),
    ("requesting_organization.name", ..., {}, {"JWT-06"}),
    ("requesting_practitioner", ..., {}, set()),
    ("requesting_practitioner", ..., {"practitioner_required": True}, {"JWT-07"}),
    ("requesting_practitioner", "111222333444", {}, {"JWT-07"}),
    ("requesting_practitioner.resourceType", "Person", {}, {"JWT-07"}),
    ("requesting_practitioner.id", "10019", {}, {"JWT-07"}),  # != sub
    ("requesting_practitioner.identifier.0.system", "https://example.org/user", {}, {"JWT-07"}),
    ("requesting_practitioner.identifier.1.value", "", {}, {"JWT-07"}),
    ("requesting_practitioner.name", [{"given": ["No"]}], {}, {"JWT-07"}),
    # The old Spine-core claim is not a UEC claim, and not a failure either.
    ("requesting_system", "https://fhir.nhs.uk/Id/accredited-system|200000000359", {}, set()),
]


@pytest.mark.parametrize(("path", "value", "kw", "expected"), SCENARIOS)
def test_claim_scenarios(path: str, value: Any, kw: dict[str, Any], expected: set[str]) -> None:
    claims = good_claims()
    _set(path, value)(claims)
    assert ids(inspect_claims(claims, **kw)) == expected


@pytest.mark.parametrize(
    ("issued", "exp_offset", "leeway", "actual", "detail"),
    [
        (NOW - 300, 300, 0, str(NOW), "token expired"),
        (NOW + 60, 300, 0, str(NOW + 60), "iat is in the future"),
        (NOW, 600, 0, "exp - iat = 600", "tokens live exactly five minutes"),
        (NOW - 300, 300, 5, None, None),
        (NOW + 60, 300, 60, None, None),
    ],
)
def test_times(issued: int, exp_offset: int, leeway: int, actual: str | None, detail: str | None) -> None:
    claims = appointments_claims(CONSUMER, AUDIENCE, CREATE, now=issued)
    claims["exp"] = issued + exp_offset
    findings = inspect_claims(claims, leeway_s=leeway)
    if detail is None:
        assert findings == []
    else:
        (finding,) = findings
        assert finding.requirement == "JWT-02" and finding.detail == detail
        assert finding.actual == actual


def test_several_violations_give_several_findings() -> None:
    claims = good_claims()
    claims["exp"] = claims["iat"] + 600
    claims["reason_for_request"] = "audit"
    claims["requested_scope"] = "organization/slot.read"
    claims["requesting_device"] = {"resourceType": "Organization"}  # wrong type, no identifier/model/version
    claims["requesting_organization"]["name"] = ""
    claims["requesting_practitioner"]["id"] = "someone-else"
    findings = inspect_claims(claims, header={"alg": "none"})
    assert ids(findings) == {"JWT-01", "JWT-02", "JWT-03", "JWT-04", "JWT-05", "JWT-06", "JWT-07"}
    assert sum(f.requirement == "JWT-05" for f in findings) == 4  # one per violated Device rule


# --- appointments inspection: header and decoding --------------------------------------------------


@pytest.mark.filterwarnings("ignore")  # PyJWT may warn that "secret" is a short HMAC key
def test_signed_hs256_token_is_a_jwt01_finding() -> None:
    token = jwt.encode(good_claims(), "secret", algorithm="HS256")
    findings = inspect_appointments_token(bearer(token), audience=AUDIENCE, interaction=CREATE, now=NOW)
    assert ids(findings) == {"JWT-01"}
    assert {f.expected for f in findings} == {
        'header alg = "none"',
        "an empty signature (the token ends with '.')",
    }


def test_header_typ_must_be_jwt() -> None:
    assert ids(inspect_claims(good_claims(), header={"alg": "none", "typ": "jwt"})) == {"JWT-01"}


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic xyz", "Bearer", "Bearer a.b.", "Bearer abc!.def.", "Bearer W10.e30.", "Bearer e30.e30"],
)
def test_undecodable_authorization_gives_one_jwt01_finding(authorization: str | None) -> None:
    findings = inspect_appointments_token(authorization, audience=AUDIENCE, interaction=CREATE, now=NOW)
    assert len(findings) == 1 and findings[0].requirement == "JWT-01"


def test_basic_scheme_is_named_but_credentials_are_not_shown() -> None:
    (finding,) = inspect_appointments_token("Basic xyz", audience=AUDIENCE, interaction=CREATE, now=NOW)
    assert "'Basic'" in finding.actual and "xyz" not in finding.describe()


def test_bearer_scheme_is_case_insensitive() -> None:
    token = mint_appointments_token(CONSUMER, AUDIENCE, CREATE, now=NOW)
    assert bearer_token("bearer " + token) == token
    assert bearer_token("BEARER  " + token) == token
    assert inspect_appointments_token("bEaReR " + token, audience=AUDIENCE, interaction=CREATE, now=NOW) == []


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("abc.def", "three dot-separated segments"),
        ("a.b.c.d.e", "found 5"),
        ("abc!.e30.", "header segment is not base64url"),
        ("e30=.e30.", "padding"),
        ("e30.e.", "impossible length"),
        (".e30.", "header segment is empty"),
        ("e30.bm90IGpzb24.", "payload is not JSON"),
        ("W10.e30.", "header is JSON but an array"),
        ("e30.Im5vIg.", "payload is JSON but a string"),
        ("e30.eyJhIjpOYU59.", "NaN"),
        ("e30._w.", "UTF-8"),
        (
            "e30." + base64.urlsafe_b64encode(b"[" * 30_000 + b"]" * 30_000).decode() + ".",
            "nested too deeply",
        ),
    ],
)
def test_decode_unverified_reasons(token: str, reason: str) -> None:
    with pytest.raises(MalformedToken, match=reason):
        decode_unverified(token)


def test_decode_unverified_returns_parts() -> None:
    decoded = decode_unverified(encode_unsigned({"a": 1}, {"alg": "none"}))
    assert (decoded.header, decoded.claims, decoded.signature) == ({"alg": "none"}, {"a": 1}, "")


@pytest.mark.parametrize("authorization", [None, "  ", "Basic xyz", "Bearer ", "Bearer a b", "eyJhbGci.x.y"])
def test_bearer_token_rejects(authorization: str | None) -> None:
    with pytest.raises(MalformedToken):
        bearer_token(authorization)


def test_long_values_are_truncated() -> None:
    claims = good_claims()
    claims["iss"] = "https://" + "x" * 500
    (finding,) = inspect_claims(claims, expected_issuer=CONSUMER.endpoint_url)
    assert len(finding.actual) <= 80 and finding.actual.endswith("…")


# --- RTEC -------------------------------------------------------------------------------------------


def test_rtec_round_trip() -> None:
    token = mint_rtec_token(CONSUMER, RTEC_URL, now=NOW)
    assert token.endswith(".")
    decoded = decode_unverified(token)
    assert decoded.header == {"alg": "none", "typ": "JWT"}
    assert decoded.claims == rtec_claims(CONSUMER, RTEC_URL, now=NOW)
    assert decoded.claims["requested_scope"] == "/rtec-api-gateway/v1.0.0/search"
    assert decoded.claims["iss"] == decoded.claims["requesting_device"] == CONSUMER.asid
    assert decoded.claims["exp"] == NOW + 300
    assert all(isinstance(v, str) for k, v in decoded.claims.items() if k not in ("iat", "exp"))
    assert inspect_rtec_token(bearer(token), endpoint_url=RTEC_URL, now=NOW, asid=CONSUMER.asid) == []


RTEC_CLAIMS = list(rtec_claims(CONSUMER, RTEC_URL, now=NOW))


@pytest.mark.parametrize("claim", RTEC_CLAIMS)
def test_rtec_each_missing_claim(claim: str) -> None:
    claims: Claims = rtec_claims(CONSUMER, RTEC_URL, now=NOW)
    del claims[claim]
    findings = inspect_rtec_claims(claims)
    assert findings and ids(findings) == {"RTEC-REQ-03"}
    assert any(f.expected.startswith(claim) for f in findings)


RTEC_MATRIX = [
    (
        "requesting_device",
        {"resourceType": "Device", "identifier": [{"value": "200000000359"}]},
        "flat string",
    ),
    ("requesting_organization", {"resourceType": "Organization"}, "flat string"),
    ("iss", "https://consumer.example/", "ASID (12 digits)"),
    ("iss", "200000000360", "configured ASID"),
    ("aud", "https://rtec.example/other", "aud ="),
    ("requested_scope", "/rtec-api-gateway/search", "requested_scope ="),
    ("requested_scope", RTEC_URL, "requested_scope ="),
    ("reason_for_request", "audit", "reason_for_request ="),
    ("requesting_device", "200000000360", "requesting_device"),
    ("requesting_organization", "FFFFF", "current organisation"),
    ("requesting_organization", "fml84", "an ODS code"),
    ("requesting_practitioner", "999", "requesting_practitioner (= sub)"),
    ("exp", NOW + 600, "exp = iat + 300"),
    ("iat", "1700000000", "iat: integer"),
]


@pytest.mark.parametrize(("claim", "value", "expected"), RTEC_MATRIX)
def test_rtec_matrix(claim: str, value: Any, expected: str) -> None:
    claims: Claims = rtec_claims(CONSUMER, RTEC_URL, now=NOW)
    claims[claim] = value
    findings = inspect_rtec_claims(claims)
    assert findings and ids(findings) == {"RTEC-REQ-03"}
    assert any(expected in f.expected for f in findings), [f.describe() for f in findings]


def test_rtec_locum_org_detail_and_expiry() -> None:
    claims: Claims = rtec_claims(CONSUMER, RTEC_URL, now=NOW - 301)
    claims["requesting_organization"] = "FFFFF"
    details = {f.detail for f in inspect_rtec_claims(claims)}
    assert details == {"token expired", "FFFFF is the locum organisation, which must never be sent"}


@pytest.mark.filterwarnings("ignore")
def test_rtec_header_rules() -> None:
    signed = jwt.encode(rtec_claims(CONSUMER, RTEC_URL, now=NOW), "secret", algorithm="HS256")
    assert len(inspect_rtec_token(bearer(signed), endpoint_url=RTEC_URL, now=NOW)) == 2
    (missing,) = inspect_rtec_token(None, endpoint_url=RTEC_URL, now=NOW)
    assert missing.requirement == "RTEC-REQ-03"


# --- secrecy ----------------------------------------------------------------------------------------


def _bad_tokens() -> list[tuple[str, list[Finding]]]:
    claims = good_claims()
    claims.update(aud="https://elsewhere.example/", reason_for_request=None, requesting_device="x" * 300)
    broken = encode_unsigned(claims, {"alg": "none"}) + "c2lnbmF0dXJl"
    long_padded = mint_appointments_token(CONSUMER, AUDIENCE, CREATE, now=NOW).replace(".", "=.", 1)
    rtec: Claims = rtec_claims(CONSUMER, "https://x.example/" + "p" * 200, now=NOW - 900)
    rtec_token = encode_unsigned(rtec)
    kw: dict[str, Any] = {"audience": AUDIENCE, "interaction": CREATE, "now": NOW}
    return [
        (broken, inspect_appointments_token(bearer(broken), **kw)),
        (long_padded, inspect_appointments_token(bearer(long_padded), **kw)),
        (long_padded, inspect_appointments_token(long_padded, **kw)),  # a bare token, no scheme
        (rtec_token, inspect_rtec_token(bearer(rtec_token), endpoint_url=RTEC_URL, now=NOW, asid="1")),
    ]


def test_findings_never_contain_the_token() -> None:
    for token, findings in _bad_tokens():
        assert findings
        for finding in findings:
            text = json.dumps(finding.as_dict()) + finding.describe()
            assert token not in text
            assert token.split(".")[1] not in text  # nor the encoded claims
