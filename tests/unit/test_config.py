"""Unit tests for loading, validating, fingerprinting and writing the target configuration."""

from __future__ import annotations

import copy
import dataclasses
import os
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme

from spine_conformance.config import (
    ConfigError,
    TargetConfig,
    config_fingerprint,
    config_from_mapping,
    dump_toml,
    load_config,
    problems_for_suites,
)
from spine_conformance.config.rules import FIELD_RULES
from spine_conformance.interactions import ALTERNATIVE_SLOT_INTERACTION, DEFAULT_SLOT_INTERACTION

# The DESIGN.md example, every key given.
FULL_TOML = """
name = "Acme PAS (test)"

[provider]
base_url = "https://acme.example/STU3/1"
asid = "918999198993"
ssp_url = "https://ssp.example/"
healthcare_service = "918999198999"
slot_window_days = 7

[consumer]
asid = "200000000359"
ods_code = "A11111"
endpoint_url = "https://consumer.example/"
sds_user_id = "111222333444"
sds_role_profile_id = "UNK"

[patient]
nhs_number = "9434765919"
family = "Parker"
given = ["Jane"]
birth_date = "2010-01-01"
postcode = "NE3 2JH"
gender = "female"

[exemption]
url = "https://rtec.example/rtec-api-gateway/search"
prescription_id = "471BC8-P83027-34B75X"

[validate]
base_url = ""

[spec]
slot_conflict_status = 422
token_error_status = 403
slot_interaction = "urn:nhs:names:services:careconnect:fhir:rest:search:slot"
practitioner_required = false

[tls]
verify = true
ca_bundle = ""
client_cert = ""
client_key = ""

[http]
timeout_s = 30

[consumer_under_test]
trigger = "command"
"""

SECRET = "S3CRET-VALUE-never-printed"


def write(folder: Path, text: str, name: str = "target.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def full_mapping() -> dict[str, Any]:
    return copy.deepcopy(tomllib.loads(FULL_TOML))


def with_value(dotted: str, value: Any) -> dict[str, Any]:
    """The full example with one key set (or added)."""
    data = full_mapping()
    if "." in dotted:
        section, key = dotted.split(".", 1)
        data.setdefault(section, {})[key] = value
    else:
        data[dotted] = value
    return data


def problems_of(data: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data, **kwargs)
    return caught.value.problems


def value_of(config: TargetConfig, dotted: str) -> Any:
    section, _, key = dotted.rpartition(".")
    holder = getattr(config, section) if section else config
    return getattr(holder, key)


@pytest.fixture
def pki(tmp_path: Path) -> dict[str, Path]:
    """Real PEM files: a CA certificate, a client certificate and its private key."""
    ca = trustme.CA()
    leaf = ca.issue_cert("client.example")
    paths = {
        "ca": tmp_path / "certs" / "ca.pem",
        "cert": tmp_path / "certs" / "client.pem",
        "key": tmp_path / "certs" / "client.key",
    }
    paths["ca"].parent.mkdir()
    ca.cert_pem.write_to_path(str(paths["ca"]))
    leaf.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    leaf.private_key_pem.write_to_path(str(paths["key"]))
    return paths


# --- loading a whole file ---------------------------------------------------------------------


def test_full_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, FULL_TOML)
    config = load_config(path)
    assert config.name == "Acme PAS (test)"
    assert config.source == str(path)
    assert config.provider.base_url == "https://acme.example/STU3/1"
    assert config.provider.asid == "918999198993"
    assert config.patient.given == ("Jane",)
    assert config.http.timeout_s == 30.0
    assert isinstance(config.http.timeout_s, float)
    assert config.exemption.prescription_id == "471BC8-P83027-34B75X"
    assert config.secret_keys == ()


def test_full_valid_file_round_trips_through_dump_toml(tmp_path: Path) -> None:
    original = load_config(write(tmp_path, FULL_TOML))
    copy_path = write(tmp_path, dump_toml(original), "copy.toml")
    again = load_config(copy_path)
    assert again == dataclasses.replace(original, source=str(copy_path))


def test_empty_file_gives_all_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert load_config(path) == TargetConfig(source=str(path))


def test_partial_file_keeps_defaults_for_the_rest(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[patient]\ngiven = ["Mary", "Ann"]\n[http]\ntimeout_s = 5\n'))
    assert config.patient.given == ("Mary", "Ann")
    assert config.patient.family == TargetConfig().patient.family
    assert config.http.timeout_s == 5.0
    assert config.http.max_body_bytes == TargetConfig().http.max_body_bytes
    assert config.provider == TargetConfig().provider
    assert config.name == TargetConfig().name


def test_consumer_practitioner_lists_become_tuples() -> None:
    data = with_value("consumer.practitioner_given", ["Ann", "Marie"])
    data["consumer"]["practitioner_prefix"] = []
    config = config_from_mapping(data)
    assert config.consumer.practitioner_given == ("Ann", "Marie")
    assert config.consumer.practitioner_prefix == ()


def test_default_config_is_itself_valid() -> None:
    assert config_from_mapping(tomllib.loads(dump_toml(TargetConfig()))) == TargetConfig()


def test_every_rule_names_a_real_key() -> None:
    flat = tomllib.loads(dump_toml(TargetConfig()))
    real = {f"{section}.{key}" for section, table in flat.items() if isinstance(table, dict) for key in table}
    real |= {key for key, value in flat.items() if not isinstance(value, dict)}
    assert set(FIELD_RULES) <= real


# --- file-level errors ------------------------------------------------------------------------


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.toml")
    assert "cannot read file" in str(caught.value)
    assert "nope.toml" in str(caught.value)


def test_folder_instead_of_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read file"):
        load_config(tmp_path)


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n[provider]\nasid = \n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "invalid TOML" in message
    assert "line 3, column 8" in message


def test_non_utf8_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_config(path)


# --- collecting problems ----------------------------------------------------------------------


def test_five_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = FULL_TOML.replace('asid = "918999198993"', 'asid = "123"')
    text = text.replace('ods_code = "A11111"', 'ods_code = "a1"')
    text = text.replace('gender = "female"', 'gender = "F"')
    text = text.replace("timeout_s = 30", 'timeout_s = "30"')
    text = text.replace("[validate]", "[validate]\nbse_url = 1")
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert len(error.problems) == 5
    keys = [problem.split(":", 1)[0] for problem in error.problems]
    assert sorted(keys) == sorted(
        ["provider.asid", "consumer.ods_code", "patient.gender", "http.timeout_s", "validate.bse_url"]
    )
    lines = str(error).splitlines()
    assert str(path) in lines[0] and "5 problems" in lines[0]
    assert [line.strip() for line in lines[1:]] == error.problems


def test_config_error_without_source_still_reads_well() -> None:
    error = ConfigError(["provider.asid: must be exactly 12 digits"])
    assert str(error) == "Invalid configuration (1 problem):\n  provider.asid: must be exactly 12 digits"


# --- unknown keys and sections ----------------------------------------------------------------


def test_unknown_key_suggests_the_close_match() -> None:
    assert problems_of(with_value("provider.bse_url", "https://x/")) == [
        "provider.bse_url: unknown key (did you mean 'base_url'?)"
    ]


def test_unknown_section_suggests_the_close_match() -> None:
    data = full_mapping()
    data["provder"] = data.pop("provider")
    assert problems_of(data) == ["provder: unknown section (did you mean 'provider'?)"]


def test_unknown_top_level_key_suggests_the_close_match() -> None:
    assert problems_of(with_value("nmae", "Acme")) == ["nmae: unknown key (did you mean 'name'?)"]


def test_key_in_the_wrong_section_says_where_it_belongs() -> None:
    assert problems_of(with_value("provider.ods_code", "A11111")) == [
        "provider.ods_code: unknown key (it belongs in [consumer])"
    ]
    assert problems_of(with_value("base_url", "https://x/")) == ["base_url: unknown key (it belongs in [provider])"]


def test_unknown_key_with_nothing_close_has_no_suggestion() -> None:
    assert problems_of(with_value("http.zzzzzz", 1)) == ["http.zzzzzz: unknown key"]


def test_provenance_fields_are_not_toml_keys() -> None:
    problems = problems_of(with_value("secret_keys", ["tls.client_key"]))
    assert problems[0].startswith("secret_keys: unknown key")


def test_nested_table_inside_a_section_is_unknown() -> None:
    assert problems_of(with_value("provider.extra", {"a": 1}))[0].startswith("provider.extra: unknown key")


def test_section_that_is_not_a_table() -> None:
    data = full_mapping()
    data["provider"] = "https://acme.example/"
    assert problems_of(data) == ["provider: expected a table ([provider]), got a string"]


# --- types ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dotted", "bad", "message"),
    [
        ("provider.slot_window_days", "7", "expected an integer, got a string"),
        ("provider.slot_window_days", True, "expected an integer, got a boolean"),
        ("provider.slot_window_days", 7.0, "expected an integer, got a number"),
        ("provider.asid", 918999198993, "expected a string, got an integer"),
        ("http.timeout_s", "30", "expected a number, got a string"),
        ("http.timeout_s", False, "expected a number, got a boolean"),
        ("tls.verify", "no", "expected true or false, got a string"),
        ("tls.verify", 1, "expected true or false, got an integer"),
        ("spec.practitioner_required", "false", "expected true or false, got a string"),
        ("patient.given", "Jane", "expected a list of strings, got a string"),
        ("patient.given", ["Jane", 2], "expected a list of strings, got a list containing an integer"),
        ("patient.birth_date", date(2010, 1, 1), "expected a string, got a date/time (put it in quotes)"),
        ("name", {"x": 1}, "expected a string, got a table"),
    ],
)
def test_wrong_types_are_reported(dotted: str, bad: Any, message: str) -> None:
    assert problems_of(with_value(dotted, bad)) == [f"{dotted}: {message}"]


def test_int_is_accepted_for_a_float_field() -> None:
    config = config_from_mapping(with_value("http.timeout_s", 12))
    assert config.http.timeout_s == 12.0
    assert isinstance(config.http.timeout_s, float)


# --- value rules: passing and failing examples for each ------------------------------------------

VALID_VALUES: list[tuple[str, Any]] = [
    ("name", "Acme"),
    ("provider.base_url", "https://acme.example/STU3/1"),
    ("provider.base_url", "http://localhost:8080/fhir"),
    ("provider.base_url", ""),
    ("provider.ssp_url", ""),
    ("provider.ssp_url", "https://ssp.example/"),
    ("provider.asid", "918999198993"),
    ("provider.asid", ""),
    ("provider.healthcare_service", "918999198999"),
    ("provider.healthcare_service", "HS1abc"),
    ("provider.slot_window_days", 1),
    ("provider.slot_window_days", 60),
    ("consumer.asid", "200000000359"),
    ("consumer.ods_code", "A11111"),
    ("consumer.ods_code", "RR8"),
    ("consumer.ods_code", "FML84"),
    ("consumer.ods_code", "GPCA0001"),
    ("consumer.endpoint_url", "https://consumer.example/"),
    ("consumer.sds_user_id", "111222333444"),
    ("consumer.sds_role_profile_id", "UNK"),
    ("consumer.practitioner_family", "Smith"),
    ("consumer.practitioner_given", ["Ann"]),
    ("consumer.practitioner_prefix", []),
    ("consumer.organization_name", "Org"),
    ("consumer.device_model", "model"),
    ("consumer.device_version", "1"),
    ("patient.nhs_number", "9434765919"),
    ("patient.family", "Parker"),
    ("patient.given", ["Jane", "Mary"]),
    ("patient.birth_date", "2010-01-01"),
    ("patient.birth_date", date.today().isoformat()),
    ("patient.postcode", "NE3 2JH"),
    ("patient.postcode", "ne32jh"),
    ("patient.postcode", "SW1A 1AA"),
    ("patient.postcode", "M1 1AE"),
    ("patient.postcode", "B33 8TH"),
    ("patient.postcode", "GIR 0AA"),
    ("patient.gender", "male"),
    ("patient.gender", "female"),
    ("patient.gender", "other"),
    ("patient.gender", "unknown"),
    ("exemption.url", "https://rtec.example/rtec-api-gateway/search"),
    ("exemption.url", ""),
    ("exemption.prescription_id", "471BC8-P83027-34B75X"),
    ("exemption.prescription_id", "471BC8-P83027-34B75+"),
    ("exemption.prescription_id", "ABCDEF-Z12345-0F0F09"),
    ("validate.base_url", ""),
    ("validate.base_url", "https://validator.example/fhir"),
    ("spec.slot_conflict_status", 409),
    ("spec.slot_conflict_status", 422),
    ("spec.token_error_status", 400),
    ("spec.token_error_status", 401),
    ("spec.token_error_status", 403),
    ("spec.slot_interaction", DEFAULT_SLOT_INTERACTION),
    ("spec.slot_interaction", ALTERNATIVE_SLOT_INTERACTION),
    ("spec.practitioner_required", True),
    ("spec.busy_search", "edition"),
    ("spec.busy_search", "supported"),
    ("spec.busy_search", "refused"),
    ("tls.verify", False),
    ("http.timeout_s", 0.5),
    ("http.timeout_s", 600),
    ("http.max_body_bytes", 1),
    ("consumer_under_test.trigger", "command"),
    ("consumer_under_test.trigger", "manual"),
    ("consumer_under_test.trigger", "http"),
]


@pytest.mark.parametrize(("dotted", "good"), VALID_VALUES)
def test_valid_values_are_accepted(dotted: str, good: Any) -> None:
    config = config_from_mapping(with_value(dotted, good))
    expected = tuple(good) if isinstance(good, list) else good
    assert value_of(config, dotted) == expected


INVALID_VALUES: list[tuple[str, Any, str]] = [
    ("name", "", "must not be empty"),
    ("name", "   ", "must not be empty"),
    ("provider.base_url", "ftp://acme.example/", "must be an absolute http:// or https:// URL"),
    ("provider.base_url", "acme.example/STU3/1", "must be an absolute http:// or https:// URL"),
    ("provider.base_url", "/STU3/1", "must be an absolute http:// or https:// URL"),
    ("provider.base_url", "https://", "must include a host name"),
    ("provider.base_url", "https:///STU3", "must include a host name"),
    ("provider.base_url", "https://acme example/", "must not contain whitespace"),
    ("provider.base_url", " https://acme.example/", "must not contain whitespace"),
    ("provider.base_url", "https://acme.example/STU3?x=1", "must not have a query string or fragment"),
    ("provider.base_url", "https://acme.example/STU3?", "must not have a query string or fragment"),
    ("provider.base_url", "https://acme.example/#top", "must not have a query string or fragment"),
    ("provider.base_url", "https://acme.example:port/", "is not a valid URL"),
    ("provider.base_url", "https://[::1/", "is not a valid URL"),
    ("provider.ssp_url", "ssp.example", "must be an absolute http:// or https:// URL"),
    ("consumer.endpoint_url", "", "must not be empty"),
    ("consumer.endpoint_url", "mailto:someone@example.org", "must be an absolute http:// or https:// URL"),
    ("exemption.url", "https://rtec.example/search?nhs=1", "must not have a query string or fragment"),
    ("validate.base_url", "localhost:8080", "must be an absolute http:// or https:// URL"),
    ("provider.asid", "91899919899", "must be exactly 12 digits"),
    ("provider.asid", "9189991989930", "must be exactly 12 digits"),
    ("provider.asid", "91899919899A", "must be exactly 12 digits"),
    ("provider.asid", "١٢٣٤٥٦٧٨٩٠١٢", "must be exactly 12 digits"),
    ("consumer.asid", "", "must not be empty"),
    ("consumer.asid", "2000-0000-0359", "must be exactly 12 digits"),
    ("provider.healthcare_service", "918-999", "must be letters and digits only"),
    ("provider.slot_window_days", 0, "must be between 1 and 60"),
    ("provider.slot_window_days", 61, "must be between 1 and 60"),
    ("consumer.ods_code", "a11111", "must be 3 to 8 uppercase letters or digits"),
    ("consumer.ods_code", "AB", "must be 3 to 8 uppercase letters or digits"),
    ("consumer.ods_code", "ABCDEFGH1", "must be 3 to 8 uppercase letters or digits"),
    ("consumer.ods_code", "A1-111", "must be 3 to 8 uppercase letters or digits"),
    ("consumer.sds_user_id", "", "must not be empty"),
    ("consumer.sds_role_profile_id", " ", "must not be empty"),
    ("consumer.practitioner_given", [], "must list at least one name"),
    ("consumer.practitioner_prefix", [""], "must not contain empty names"),
    ("patient.nhs_number", "9434765918", "has an invalid check digit (Modulus 11)"),
    ("patient.nhs_number", "943476591", "must be 10 digits"),
    ("patient.nhs_number", "94347659190", "must be 10 digits"),
    ("patient.nhs_number", "943-476-5919", "must be 10 digits"),
    ("patient.family", "", "must not be empty"),
    ("patient.given", [], "must list at least one name"),
    ("patient.given", ["Jane", " "], "must not contain empty names"),
    ("patient.birth_date", "01/01/2010", "must be a date in the form YYYY-MM-DD"),
    ("patient.birth_date", "20100101", "must be a date in the form YYYY-MM-DD"),
    ("patient.birth_date", "2010-01-01T00:00:00", "must be a date in the form YYYY-MM-DD"),
    ("patient.birth_date", "2010-02-30", "is not a real calendar date"),
    ("patient.birth_date", (date.today() + timedelta(days=1)).isoformat(), "must not be in the future"),
    ("patient.postcode", "NE3  2JH", "must be a UK postcode"),
    ("patient.postcode", "12345", "must be a UK postcode"),
    ("patient.postcode", "NE3 2J", "must be a UK postcode"),
    ("patient.gender", "F", "must be one of male, female, other, unknown"),
    ("patient.gender", "Female", "must be one of male, female, other, unknown"),
    ("exemption.prescription_id", "471bc8-P83027-34B75X", "must be shaped like 471BC8-P83027-34B75X"),
    ("exemption.prescription_id", "471BC8P83027-34B75X", "must be shaped like 471BC8-P83027-34B75X"),
    ("exemption.prescription_id", "471BCG-P83027-34B75X", "must be shaped like 471BC8-P83027-34B75X"),
    ("exemption.prescription_id", "471BC8-P83027-34B7ZX", "must be shaped like 471BC8-P83027-34B75X"),
    ("exemption.prescription_id", "", "must be shaped like 471BC8-P83027-34B75X"),
    ("spec.slot_conflict_status", 400, "must be one of 409, 422"),
    ("spec.token_error_status", 500, "must be one of 400, 401, 403"),
    ("spec.busy_search", "free", "must be one of edition, supported, refused"),
    ("spec.slot_interaction", "urn:nhs:names:services:careconnect:fhir:rest:search:slots", "must be one of"),
    ("http.timeout_s", 0, "must be a number of seconds greater than 0 and at most 600"),
    ("http.timeout_s", -1.5, "must be a number of seconds greater than 0 and at most 600"),
    ("http.timeout_s", 600.5, "must be a number of seconds greater than 0 and at most 600"),
    ("http.timeout_s", float("nan"), "must be a number of seconds greater than 0 and at most 600"),
    ("http.max_body_bytes", 0, "must be greater than 0"),
    ("consumer_under_test.trigger", "auto", "must be one of command, manual, http"),
]


@pytest.mark.parametrize(("dotted", "bad", "message"), INVALID_VALUES)
def test_invalid_values_are_rejected(dotted: str, bad: Any, message: str) -> None:
    problems = problems_of(with_value(dotted, bad))
    assert len(problems) == 1
    assert problems[0].startswith(f"{dotted}: {message}")


def test_refusing_busy_searches_contradicts_the_2x_edition() -> None:
    data = with_value("spec.busy_search", "refused")
    data["spec"]["edition"] = "2"
    assert problems_of(data) == [
        'spec.busy_search: "refused" contradicts edition "2" (search_slots.md: servers must support searching '
        "for all statuses)"
    ]
    data["spec"]["busy_search"] = "supported"
    assert config_from_mapping(data).spec.busy_search == "supported"


def test_rejected_value_is_quoted_to_help_the_fix() -> None:
    assert problems_of(with_value("provider.asid", "123")) == ["provider.asid: must be exactly 12 digits (got '123')"]


def test_nhs_number_spaces_are_removed() -> None:
    config = config_from_mapping(with_value("patient.nhs_number", "943 476 5919"))
    assert config.patient.nhs_number == "9434765919"


# --- TLS files --------------------------------------------------------------------------------


def test_tls_files_resolve_relative_to_the_toml_folder(tmp_path: Path, pki: dict[str, Path]) -> None:
    text = FULL_TOML.replace('ca_bundle = ""', 'ca_bundle = "certs/ca.pem"')
    text = text.replace('client_cert = ""', 'client_cert = "certs/client.pem"')
    text = text.replace('client_key = ""', 'client_key = "certs/client.key"')
    config = load_config(write(tmp_path, text))
    assert config.tls.ca_bundle == str(pki["ca"].resolve())
    assert config.tls.client_cert == str(pki["cert"].resolve())
    assert config.tls.client_key == str(pki["key"].resolve())
    assert Path(config.tls.ca_bundle).is_absolute()


def test_tls_files_resolve_relative_to_base_dir(tmp_path: Path, pki: dict[str, Path]) -> None:
    config = config_from_mapping(with_value("tls.ca_bundle", "ca.pem"), base_dir=tmp_path / "certs")
    assert config.tls.ca_bundle == str(pki["ca"].resolve())


def test_tls_absolute_paths_are_kept(pki: dict[str, Path]) -> None:
    config = config_from_mapping(with_value("tls.ca_bundle", str(pki["ca"])))
    assert config.tls.ca_bundle == str(pki["ca"].resolve())


def test_tls_missing_file(tmp_path: Path) -> None:
    problems = problems_of(with_value("tls.ca_bundle", "missing.pem"), base_dir=tmp_path)
    assert problems == [f"tls.ca_bundle: file not found (got {str(tmp_path / 'missing.pem')!r})"]


def test_tls_folder_is_not_a_file(tmp_path: Path) -> None:
    assert problems_of(with_value("tls.ca_bundle", str(tmp_path)))[0].startswith(
        "tls.ca_bundle: is a folder, not a file"
    )


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_tls_unreadable_file(pki: dict[str, Path]) -> None:
    pki["ca"].chmod(0)
    try:
        problems = problems_of(with_value("tls.ca_bundle", str(pki["ca"])))
    finally:
        pki["ca"].chmod(0o600)
    assert problems[0].startswith("tls.ca_bundle: file cannot be read (permission denied)")


def test_tls_ca_bundle_must_hold_a_certificate(pki: dict[str, Path]) -> None:
    problems = problems_of(with_value("tls.ca_bundle", str(pki["key"])))
    assert problems[0].startswith("tls.ca_bundle: does not contain a PEM certificate")


def test_tls_client_key_must_hold_a_private_key(pki: dict[str, Path]) -> None:
    data = with_value("tls.client_cert", str(pki["cert"]))
    data["tls"]["client_key"] = str(pki["cert"])
    problems = problems_of(data)
    assert len(problems) == 1
    assert problems[0].startswith("tls.client_key: does not contain a PEM private key")


def test_tls_client_cert_must_hold_a_certificate(pki: dict[str, Path]) -> None:
    data = with_value("tls.client_cert", str(pki["key"]))
    data["tls"]["client_key"] = str(pki["key"])
    assert problems_of(data)[0].startswith("tls.client_cert: does not contain a PEM certificate")


def test_tls_client_cert_and_key_must_come_together(pki: dict[str, Path]) -> None:
    assert problems_of(with_value("tls.client_cert", str(pki["cert"]))) == [
        "tls.client_key: required when tls.client_cert is given"
    ]
    assert problems_of(with_value("tls.client_key", str(pki["key"]))) == [
        "tls.client_cert: required when tls.client_key is given"
    ]


def test_tls_client_pair_accepted(pki: dict[str, Path]) -> None:
    data = with_value("tls.client_cert", str(pki["cert"]))
    data["tls"]["client_key"] = str(pki["key"])
    config = config_from_mapping(data)
    assert (config.tls.client_cert, config.tls.client_key) == (str(pki["cert"]), str(pki["key"]))


# --- env: secrets -----------------------------------------------------------------------------


def test_env_value_is_resolved_and_recorded_as_secret() -> None:
    data = with_value("consumer.sds_user_id", "env:SDS_USER")
    config = config_from_mapping(data, environ={"SDS_USER": "999888777666"})
    assert config.consumer.sds_user_id == "999888777666"
    assert config.secret_keys == ("consumer.sds_user_id",)
    assert config.secret_env == (("consumer.sds_user_id", "SDS_USER"),)


def test_env_defaults_to_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINE_TEST_ROLE", "R8000")
    config = config_from_mapping(with_value("consumer.sds_role_profile_id", "env:SPINE_TEST_ROLE"))
    assert config.consumer.sds_role_profile_id == "R8000"


def test_env_secret_file_path_is_resolved(pki: dict[str, Path]) -> None:
    data = with_value("tls.client_cert", str(pki["cert"]))
    data["tls"]["client_key"] = "env:CLIENT_KEY"
    config = config_from_mapping(data, environ={"CLIENT_KEY": str(pki["key"])})
    assert config.tls.client_key == str(pki["key"])
    assert config.secret_keys == ("tls.client_key",)


def test_missing_environment_variable_is_a_problem() -> None:
    assert problems_of(with_value("consumer.sds_user_id", "env:SPINE_NOT_SET"), environ={}) == [
        "consumer.sds_user_id: environment variable SPINE_NOT_SET is not set"
    ]


def test_env_without_a_name_is_a_problem() -> None:
    assert problems_of(with_value("consumer.sds_user_id", "env:"), environ={}) == [
        "consumer.sds_user_id: 'env:' must be followed by an environment variable name"
    ]


def test_env_on_a_non_string_field_is_a_type_error() -> None:
    problems = problems_of(with_value("http.timeout_s", "env:TIMEOUT"), environ={"TIMEOUT": "5"})
    assert problems == ["http.timeout_s: expected a number, got a string"]


def test_secret_value_never_appears_in_errors(tmp_path: Path, pki: dict[str, Path]) -> None:
    data = with_value("consumer.asid", "env:ASID")
    data["tls"]["ca_bundle"] = "env:CA"
    data["tls"]["client_cert"] = str(pki["cert"])
    data["tls"]["client_key"] = "env:KEY"
    environ = {"ASID": SECRET, "CA": str(tmp_path / SECRET), "KEY": str(pki["cert"])}
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data, environ=environ)
    assert caught.value.problems == [
        "consumer.asid: must be exactly 12 digits",
        "tls.ca_bundle: file not found",
        "tls.client_key: does not contain a PEM private key ('PRIVATE KEY-----')",
    ]
    assert SECRET not in str(caught.value)


# --- dump_toml --------------------------------------------------------------------------------


def test_dump_toml_writes_every_section_and_key() -> None:
    parsed = tomllib.loads(dump_toml(TargetConfig()))
    expected_sections = {
        f.name for f in dataclasses.fields(TargetConfig) if dataclasses.is_dataclass(f.default_factory)
    }
    assert expected_sections <= set(parsed)
    for section in expected_sections:
        model_keys = {f.name for f in dataclasses.fields(getattr(TargetConfig(), section))}
        assert set(parsed[section]) == model_keys
    assert parsed["name"] == TargetConfig().name
    assert not {"source", "secret_keys", "secret_env"} & set(parsed)


def test_dump_toml_round_trips_awkward_strings(tmp_path: Path) -> None:
    original = dataclasses.replace(
        TargetConfig(),
        name='Acme "PAS" \\ test\n\ttab \x01 del\x7f – café',
        patient=dataclasses.replace(TargetConfig().patient, given=("Zoë", 'O"Neil')),
    )
    path = write(tmp_path, dump_toml(original))
    assert load_config(path) == dataclasses.replace(original, source=str(path))


def test_dump_toml_keeps_secrets_as_env_references(tmp_path: Path, pki: dict[str, Path]) -> None:
    text = FULL_TOML.replace('sds_user_id = "111222333444"', 'sds_user_id = "env:SDS_USER"')
    text = text.replace('client_cert = ""', f'client_cert = "{pki["cert"]}"')
    text = text.replace('client_key = ""', 'client_key = "env:CLIENT_KEY"')
    environ = {"SDS_USER": SECRET, "CLIENT_KEY": str(pki["key"])}
    original = load_config(write(tmp_path, text), environ=environ)
    dumped = dump_toml(original)
    assert SECRET not in dumped and str(pki["key"]) not in dumped
    assert 'sds_user_id = "env:SDS_USER"' in dumped
    assert 'client_key = "env:CLIENT_KEY"' in dumped
    copy_path = write(tmp_path, dumped, "copy.toml")
    assert load_config(copy_path, environ=environ) == dataclasses.replace(original, source=str(copy_path))


# --- fingerprint ------------------------------------------------------------------------------


def test_fingerprint_is_stable_sha256_hex(tmp_path: Path) -> None:
    first = load_config(write(tmp_path, FULL_TOML, "a.toml"))
    second = load_config(write(tmp_path, FULL_TOML, "b.toml"))
    fingerprint = config_fingerprint(first)
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert config_fingerprint(second) == fingerprint  # the source path does not count
    assert config_fingerprint(first) == fingerprint  # same input, same output


def test_fingerprint_ignores_key_order() -> None:
    data = full_mapping()
    reordered = {key: data[key] for key in reversed(list(data))}
    reordered["provider"] = dict(reversed(list(data["provider"].items())))
    assert config_fingerprint(config_from_mapping(reordered)) == config_fingerprint(config_from_mapping(data))


def test_fingerprint_changes_with_a_non_secret_value() -> None:
    base = config_from_mapping(full_mapping())
    changed = config_from_mapping(with_value("provider.slot_window_days", 8))
    assert config_fingerprint(changed) != config_fingerprint(base)


def test_fingerprint_is_independent_of_secret_values() -> None:
    data = with_value("consumer.sds_user_id", "env:SDS_USER")
    one = config_from_mapping(data, environ={"SDS_USER": "111"})
    two = config_from_mapping(data, environ={"SDS_USER": "222"})
    assert one != two
    assert config_fingerprint(one) == config_fingerprint(two)


# --- suites -----------------------------------------------------------------------------------


def test_provider_suite_needs_provider_details() -> None:
    assert problems_for_suites(TargetConfig(), ["provider"]) == [
        "provider.base_url: required for the provider suite",
        "provider.asid: required for the provider suite",
        "provider.healthcare_service: required for the provider suite",
    ]


def test_exemption_suite_needs_the_exemption_url() -> None:
    assert problems_for_suites(TargetConfig(), {"exemption"}) == ["exemption.url: required for the exemption suite"]


def test_consumer_suite_needs_a_provider_to_forward_to_and_a_trigger() -> None:
    problems = problems_for_suites(TargetConfig(), ["consumer"])
    assert "provider.base_url: required for the consumer suite" not in problems  # RTEC-only consumers
    assert any(p.startswith('consumer_under_test: trigger = "command" needs') for p in problems)
    hooked = config_from_mapping({"consumer_under_test": {"trigger": "http"}})
    assert 'consumer_under_test.hook_url: required when trigger = "http"' in problems_for_suites(hooked, ["consumer"])


def test_all_suites_with_a_full_configuration() -> None:
    config = config_from_mapping(
        {**full_mapping(), "consumer_under_test": {"trigger": "command", "book": "book {nhs_number}"}}
    )
    assert problems_for_suites(config, ["all"]) == []
    assert problems_for_suites(config, ["provider", "exemption", "consumer"]) == []


def test_all_selects_every_suite() -> None:
    assert len(problems_for_suites(TargetConfig(), ["all"])) == 5


def test_unknown_suite_is_reported() -> None:
    assert problems_for_suites(TargetConfig(), ["exemption", "bogus"]) == [
        "suite 'bogus': unknown suite (expected provider, exemption, consumer or all)",
        "exemption.url: required for the exemption suite",
    ]
