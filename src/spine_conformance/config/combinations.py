"""Checks across keys of a configuration: values each valid alone that do not go together, or files
that only load together (a client certificate and its key)."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any, Protocol


class ProblemSink(Protocol):
    """Where problems go (the loader's reader): keys already reported invalid are not judged again."""

    invalid: set[str]

    def problem(self, key: str, message: str) -> None: ...


def check_combinations(reader: ProblemSink, values: Mapping[str, Any]) -> None:
    """Every cross-key problem of the sections read (``values``: section name → its keys)."""
    _check_client_pair(reader, values.get("tls", {}))
    _check_busy_search(reader, values.get("spec", {}))
    _check_tls_material(reader, values.get("tls", {}))


def _check_busy_search(reader: ProblemSink, spec: Mapping[str, Any]) -> None:
    """The 2.x pages make every status searchable: refusing busy slots cannot be that edition's reading."""
    if {"spec.busy_search", "spec.edition"} & reader.invalid:
        return
    if spec.get("busy_search") == "refused" and spec.get("edition") == "2":
        reader.problem(
            "spec.busy_search",
            '"refused" contradicts edition "2" (search_slots.md: servers must support searching for all statuses)',
        )


def _check_client_pair(reader: ProblemSink, tls: Mapping[str, Any]) -> None:
    """A client certificate is useless without its key, and the reverse (the expired one's too)."""
    for prefix in ("", "expired_"):
        cert_key, key_key = f"tls.{prefix}client_cert", f"tls.{prefix}client_key"
        if {cert_key, key_key} & reader.invalid:
            continue
        cert, key = tls.get(f"{prefix}client_cert", ""), tls.get(f"{prefix}client_key", "")
        if cert and not key:
            reader.problem(key_key, f"required when {cert_key} is given")
        if key and not cert:
            reader.problem(cert_key, f"required when {key_key} is given")


def _check_tls_material(reader: ProblemSink, tls: Mapping[str, Any]) -> None:
    """Load the CA bundle and the client certificate now: a file that only looks like PEM, or a key
    that does not match its certificate, would otherwise fail every scenario and blame the target."""
    ca_bundle = tls.get("ca_bundle", "")
    if ca_bundle and "tls.ca_bundle" not in reader.invalid:
        try:
            ssl.create_default_context(cafile=ca_bundle)
        except ssl.SSLError as error:
            reader.problem("tls.ca_bundle", f"holds no certificate that can be loaded ({error.reason or error})")
    for prefix in ("", "expired_"):
        cert_key, key_key = f"tls.{prefix}client_cert", f"tls.{prefix}client_key"
        cert, key = tls.get(f"{prefix}client_cert", ""), tls.get(f"{prefix}client_key", "")
        if cert and key and not {cert_key, key_key} & reader.invalid:
            try:
                ssl.create_default_context().load_cert_chain(cert, key)
            except ssl.SSLError as error:
                reason = str(error.reason or error)
                if "KEY_VALUES_MISMATCH" in reason.upper():
                    reader.problem(key_key, f"does not match {cert_key}")
                else:
                    reader.problem(cert_key, f"and {key_key} cannot be loaded together ({reason})")
