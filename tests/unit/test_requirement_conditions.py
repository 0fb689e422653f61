"""Requirements that apply only to some targets (catalogue key ``condition``): out of scope, never a gap."""

from __future__ import annotations

import pytest

from spine_conformance.config.model import TargetConfig, TlsConfig
from spine_conformance.requirements import CatalogueError, catalogue, parse_catalogue
from spine_conformance.results.collector import target_conditions
from spine_conformance.results.verdict import Scope

SOURCE = '[[requirement.sources]]\ntitle = "T"\nurl = "https://example.org/"\nversion = "1"\n'


def entry(condition: str) -> str:
    return (
        f'[[requirement]]\nid = "TLS-09"\ntitle = "t"\nlevel = "MUST"\nsource = "s"\ninterface = "common"\n'
        f'roles = ["provider"]\ncondition = "{condition}"\n' + SOURCE
    )


def test_a_condition_must_be_a_known_one() -> None:
    assert parse_catalogue(entry("mutual-tls"))["TLS-09"].condition == "mutual-tls"
    with pytest.raises(CatalogueError, match="condition 'kerberos'"):
        parse_catalogue(entry("kerberos"))


def test_mutual_tls_applies_only_to_a_target_with_a_client_certificate() -> None:
    tls_03 = catalogue()["TLS-03"]
    assert tls_03.condition == "mutual-tls"
    without = Scope(suites=("provider",), conditions=frozenset(target_conditions(TargetConfig())))
    assert "authenticates clients by certificate" in without.why_out(tls_03)
    configured = TargetConfig(tls=TlsConfig(client_cert="c.pem", client_key="c.pem"))
    with_certificate = Scope(suites=("provider",), conditions=frozenset(target_conditions(configured)))
    assert with_certificate.why_out(tls_03) == ""
    assert without.why_out(catalogue()["TLS-04"]) == ""  # plain HTTP is refused by every HTTPS target
