"""Redaction of patient identifiers and secrets in text, JSON-like data and recorded exchanges."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

import pytest

from spine_conformance.config.model import ConsumerConfig, PatientConfig, TargetConfig
from spine_conformance.http.exchange import Exchange
from spine_conformance.interactions import Interaction
from spine_conformance.redact import Redactor
from spine_conformance.tokens import mint_appointments_token

PATIENT = PatientConfig()
MASK = re.compile(r"«([a-z\-]+):([0-9a-f]{10})»")
# The default patient's identifiers in every spelling the redactor promises to catch.
SECRETS = {
    "nhs-number": ["9434765919", "943 476 5919"],
    "surname": ["Parker", "PARKER"],
    "given-name": ["Jane", "JANE"],
    "birth-date": ["2010-01-01"],
    "postcode": ["NE3 2JH", "NE32JH"],
}


@pytest.fixture
def redactor() -> Redactor:
    return Redactor.for_target(TargetConfig())


def test_default_patient_is_the_one_the_cases_assume() -> None:
    assert (PATIENT.nhs_number, PATIENT.family, PATIENT.given, PATIENT.birth_date, PATIENT.postcode) == (
        "9434765919",
        "Parker",
        ("Jane",),
        "2010-01-01",
        "NE3 2JH",
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [(kind, value) for kind, values in SECRETS.items() for value in values],
)
def test_identifier_is_masked_in_text(redactor: Redactor, kind: str, value: str) -> None:
    redacted = redactor.text(f"patient {value} was seen")
    assert value not in redacted
    match = MASK.search(redacted)
    assert match is not None
    assert match.group(1) == kind
    assert redacted.startswith("patient «") and redacted.endswith("» was seen")


def test_nothing_identifying_survives_in_a_sentence(redactor: Redactor) -> None:
    text = "Jane PARKER (NHS 943 476 5919, born 2010-01-01) lives at NE32JH; nhsNumber=9434765919, Parker, NE3 2JH"
    redacted = redactor.text(text)
    for values in SECRETS.values():
        for value in values:
            assert value not in redacted
    assert "5919" not in redacted
    assert "2JH" not in redacted


def test_identifiers_are_masked_in_nested_data(redactor: Redactor) -> None:
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
        "name": [{"family": "Parker", "given": ["Jane"]}],
        "birthDate": "2010-01-01",
        "address": [{"postalCode": "NE3 2JH", "line": ["1 High Street"]}],
        "active": True,
        "count": 3,
        "nothing": None,
        "rtec": {"dob": "2010-01-01", "nhsNumber": "9434765919", "postcode": "NE32JH", "surname": "Parker"},
    }
    redacted = redactor.data(data)
    flat = repr(redacted)
    for values in SECRETS.values():
        for value in values:
            assert value not in flat
    # Structure, keys and non-string values are kept.
    assert redacted["resourceType"] == "Patient"
    assert redacted["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/nhs-number"
    assert redacted["address"][0]["line"] == ["1 High Street"]
    assert (redacted["active"], redacted["count"], redacted["nothing"]) == (True, 3, None)
    assert set(redacted["rtec"]) == {"dob", "nhsNumber", "postcode", "surname"}
    # The input is not modified in place.
    assert data["name"][0]["family"] == "Parker"


def test_same_value_gets_the_same_mask(redactor: Redactor) -> None:
    first = redactor.text("9434765919")
    assert redactor.text("9434765919") == first
    assert redactor.text("a 9434765919 b 9434765919").split() == ["a", first, "b", first]
    # Deterministic across redactors (and so across runs), not just within one.
    assert Redactor.for_target(TargetConfig()).text("9434765919") == first


def test_spellings_of_one_value_share_a_mask_and_different_values_do_not(redactor: Redactor) -> None:
    for values in SECRETS.values():
        assert len({redactor.text(value) for value in values}) == 1, values
    assert len({redactor.text(values[0]) for values in SECRETS.values()}) == len(SECRETS)
    other = Redactor.for_target(TargetConfig(patient=PatientConfig(nhs_number="9000000009")))
    assert other.text("9000000009") != redactor.text("9434765919")


def test_masks_depend_on_the_run_key() -> None:
    first = Redactor(key=b"run-one")
    second = Redactor(key=b"run-two")
    first.protect("birth-date", "2010-01-01")
    second.protect("birth-date", "2010-01-01")
    assert first.text("2010-01-01") != second.text("2010-01-01")


def test_a_longer_value_is_masked_whole() -> None:
    redactor = Redactor()
    redactor.protect("surname", "Ann")
    redactor.protect("surname", "Annabel")
    redacted = redactor.text("Annabel")
    assert MASK.fullmatch(redacted)
    assert redacted == redactor.mask("surname", "Annabel")


def test_two_letter_names_are_masked_as_whole_words_only() -> None:
    redactor = Redactor()
    redactor.protect("surname", "Ng")
    redactor.protect("given-name", "A")
    redactor.protect("given-name", "")
    assert redactor.text("Ng and Ngozi") == f"{redactor.mask('surname', 'Ng')} and Ngozi"
    assert redactor.text("A and Alan") == "A and Alan"


def test_a_name_inside_a_longer_word_is_left_alone() -> None:
    redactor = Redactor()
    redactor.protect("given-name", "Max")
    assert redactor.text("Cache-Control: max-age=0") == "Cache-Control: max-age=0"
    assert redactor.text("Max Parker") == f"{redactor.mask('given-name', 'Max')} Parker"


def test_other_spellings_and_json_escapes_are_masked() -> None:
    redactor = Redactor()
    redactor.protect("birth-date", "2010-01-01")
    redactor.protect("nhs-number", "9434765919")
    redactor.protect("surname", "Müller")
    for text in ("01/01/2010", "20100101", "943-476-5919", "M\\u00fcller", "MÜLLER"):
        assert not any(ch.isdigit() for ch in redactor.text(text).replace("«", "").split(":")[0]), text
        assert redactor.text(text).startswith("«"), text


def test_the_exemption_test_patient_is_protected_too() -> None:
    redactor = Redactor.for_target(TargetConfig())
    exemption = TargetConfig().exemption
    for value in (
        exemption.not_exempt_nhs_number,
        exemption.not_exempt_family,
        exemption.not_exempt_birth_date,
        exemption.not_exempt_postcode,
    ):
        assert value not in redactor.text(f"x {value} y"), value


def test_every_given_name_is_protected() -> None:
    target = TargetConfig(patient=PatientConfig(given=("Jane", "Mary")))
    redacted = Redactor.for_target(target).text("Jane Mary Parker")
    assert "Jane" not in redacted and "Mary" not in redacted


def test_bearer_token_is_masked_in_text(redactor: Redactor) -> None:
    token = mint_appointments_token(ConsumerConfig(), "https://p/STU3/1", Interaction.READ_METADATA, now=1_700_000_000)
    redacted = redactor.text(f"sent Authorization: Bearer {token} to the provider")
    assert token not in redacted
    assert token.split(".")[1] not in redacted
    assert redacted == "sent Authorization: Bearer «token» to the provider"


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_bearer_with_any_case_is_masked(redactor: Redactor, scheme: str) -> None:
    assert redactor.text(f"{scheme} aaa.bbb.ccc") == f"{scheme} «token»"


def test_bare_jwt_like_string_is_masked(redactor: Redactor) -> None:
    token = mint_appointments_token(ConsumerConfig(), "https://p/STU3/1", Interaction.READ_METADATA, now=1_700_000_000)
    assert token.startswith("eyJ") and token.endswith(".")
    redacted = redactor.text(f'{{"token": "{token}"}}')
    assert token not in redacted
    assert redacted == '{"token": "«token»"}'
    signed_looking = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    assert redactor.text(signed_looking) == "«token»"


def test_plain_text_is_left_alone(redactor: Redactor) -> None:
    text = "GET https://provider.example/STU3/1/Slot?status=free returned 200 (eyJ is short)"
    assert redactor.text(text) == text
    assert redactor.text("") == ""


def exchange_dict(token: str) -> dict[str, Any]:
    exchange = Exchange(
        label="book",
        method="POST",
        url="https://provider.example/STU3/1/Appointment?nhs=9434765919",
        request_headers=[
            ("Authorization", f"Bearer {token}"),
            ("Cookie", "session=s3cr3t"),
            ("Ssp-From", "200000000359"),
            ("Content-Type", "application/fhir+json"),
        ],
        request_body=b'{"resourceType":"Appointment","participant":[{"actor":{"display":"Jane Parker"}}]}',
        started=0.0,
        status=201,
        response_headers=[("Set-Cookie", "session=s3cr3t"), ("Location", "https://p/Appointment/a1/_history/1")],
        response_body=b'{"birthDate":"2010-01-01"}',
        error="",
        interaction="create_appointment",
    )
    return exchange.as_dict()


def test_exchange_masks_secret_headers_and_patient_data(redactor: Redactor) -> None:
    token = mint_appointments_token(ConsumerConfig(), "https://p/STU3/1", Interaction.READ_METADATA, now=1_700_000_000)
    redacted = redactor.exchange(exchange_dict(token))
    request_headers = dict(redacted["request"]["headers"])
    response_headers = dict(redacted["response"]["headers"])
    assert request_headers["Authorization"] == "Bearer «redacted»"
    assert request_headers["Cookie"] == "«redacted»"
    assert response_headers["Set-Cookie"] == "«redacted»"
    assert request_headers["Ssp-From"] == "200000000359"
    assert request_headers["Content-Type"] == "application/fhir+json"
    flat = repr(redacted)
    for secret in (token, "s3cr3t", "9434765919", "Jane", "Parker", "2010-01-01"):
        assert secret not in flat
    assert redacted["request"]["method"] == "POST"
    assert redacted["response"]["status"] == 201
    assert redacted["label"] == "book"


def test_exchange_without_response(redactor: Redactor) -> None:
    data = exchange_dict("aaa.bbb.")
    data["response"] = None
    redacted = redactor.exchange(data)
    assert redacted["response"] is None
    assert dict(redacted["request"]["headers"])["Authorization"] == "Bearer «redacted»"


@pytest.mark.parametrize("name", ["authorization", "AUTHORIZATION", "Proxy-Authorization", "cookie", "set-cookie"])
def test_secret_header_names_are_case_insensitive(redactor: Redactor, name: str) -> None:
    assert "s3cr3t" not in redactor.header(name, "Basic s3cr3t")


@pytest.mark.parametrize(
    ("name", "value"),
    [("Cookie", "session=s3cr3t; theme=dark"), ("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly; Secure")],
)
def test_cookie_with_several_parts_is_fully_masked(redactor: Redactor, name: str, value: str) -> None:
    assert "s3cr3t" not in redactor.header(name, value)


def test_disabled_redactor_leaves_everything_unchanged() -> None:
    redactor = Redactor.for_target(TargetConfig(), enabled=False)
    text = "Jane Parker 9434765919 2010-01-01 NE3 2JH Bearer aaa.bbb.ccc eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."
    assert redactor.text(text) == text
    assert redactor.data({"a": [text]}) == {"a": [text]}
    assert redactor.header("Authorization", "Bearer aaa.bbb.ccc") == "Bearer aaa.bbb.ccc"
    data = exchange_dict("aaa.bbb.")
    assert redactor.exchange(data) == data


def mask_digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:6]


def test_birth_date_mask_does_not_reveal_the_birth_date(redactor: Redactor) -> None:
    match = MASK.search(redactor.text("2010-01-01"))
    assert match is not None
    first = date(1900, 1, 1)
    candidates = [
        day.isoformat()
        for day in (first + timedelta(days=n) for n in range(366 * 130))
        if mask_digest("birth-date", day.isoformat()) == match.group(2)
    ]
    assert candidates != ["2010-01-01"]


def _full_pattern_only(redactor: Redactor, text: str) -> str:
    """What the text would become if every text went through the pattern (no substring pre-test)."""
    assert redactor._pattern is not None
    return redactor._pattern.sub(lambda m: redactor._mask_of(m.group(0)), text)


@pytest.mark.parametrize(
    ("surname", "text"),
    [
        ("Yılmaz", "YILMAZ"),  # the dotless i matches an ASCII I: the ASCII text must not skip the pattern
        ("Yılmaz", "yilmaz"),
        ("Yılmaz", "YİLMAZ"),
        ("Müller", "MÜLLER and M\\u00fcller"),  # non-ASCII text always goes through the pattern
        ("Parker", "pArKeR%20Jane"),
        ("Kelvin", "KELVIN"),  # casefold turns the Kelvin sign into k, so k-probes catch it
    ],
)
def test_the_substring_pre_test_never_lets_a_protected_value_through(surname: str, text: str) -> None:
    redactor = Redactor()
    redactor.protect("surname", surname)
    assert redactor.text(text) == _full_pattern_only(redactor, text) != text


def test_text_without_a_protected_value_or_token_is_returned_as_it_was(redactor: Redactor) -> None:
    text = '{"resourceType": "Bundle", "type": "searchset", "total": 0, "note": "bearer of good news"}'
    assert redactor.text(text) == text
