"""Configuration problems found before anything runs, all at once (config.load)."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from spine_conformance.config import ConfigError, load_config


def write(tmp_path: Path, text: str, name: str = "target.toml", prefix: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(prefix + text.encode("utf-8"))
    return path


def problems(path: Path, suites: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path, suites=suites)
    return raised.value.problems


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """Observed: a TOML file starting with a UTF-8 BOM gave "Invalid statement"."""
    assert load_config(write(tmp_path, 'name = "Acme"\n', prefix=b"\xef\xbb\xbf")).name == "Acme"


def test_a_ca_bundle_with_a_marker_but_no_certificate_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "ca.pem"
    fake.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
    found = problems(write(tmp_path, f'[tls]\nca_bundle = "{fake}"\n'))
    assert len(found) == 1 and found[0].startswith("tls.ca_bundle: holds no certificate that can be loaded")


def test_a_client_key_that_does_not_match_its_certificate_is_refused(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert, other = ca.issue_cert("client.example"), ca.issue_cert("other.example")
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "client.pem"))
    other.private_key_pem.write_to_path(str(tmp_path / "other-key.pem"))
    text = f'[tls]\nclient_cert = "{tmp_path / "client.pem"}"\nclient_key = "{tmp_path / "other-key.pem"}"\n'
    assert problems(write(tmp_path, text)) == ["tls.client_key: does not match tls.client_cert"]


def test_a_matching_client_certificate_and_key_load(tmp_path: Path) -> None:
    cert = trustme.CA().issue_cert("client.example")
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "client.pem"))
    cert.private_key_pem.write_to_path(str(tmp_path / "client-key.pem"))
    text = f'[tls]\nclient_cert = "{tmp_path / "client.pem"}"\nclient_key = "{tmp_path / "client-key.pem"}"\n'
    assert load_config(write(tmp_path, text)).tls.client_key.endswith("client-key.pem")


def test_bad_values_and_what_the_suites_need_come_in_one_round(tmp_path: Path) -> None:
    """Observed: bad values were reported first, then, once fixed, the keys missing for the suite."""
    text = '[provider]\nslot_window_days = 0\n[http]\ntimeout_s = -1\n[consumer_under_test]\ntrigger = "http"\n'
    found = problems(write(tmp_path, text), suites=("provider", "consumer"))
    assert found == [
        "provider.slot_window_days: must be between 1 and 60 (got 0)",
        "http.timeout_s: must be a number of seconds greater than 0 and at most 600 (got -1.0)",
        "provider.base_url: required for the provider suite",
        "provider.asid: required for the provider suite",
        "provider.healthcare_service: required for the provider suite",
        'consumer_under_test.hook_url: required when trigger = "http"',
    ]


def test_a_bad_required_value_is_not_also_reported_missing(tmp_path: Path) -> None:
    found = problems(write(tmp_path, '[exemption]\nurl = "ftp://x"\n'), suites=("exemption",))
    assert found == ["exemption.url: must be an absolute http:// or https:// URL (got 'ftp://x')"]
