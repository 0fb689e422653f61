"""What a run tested and on whose behalf: the identification an evidence pack opens with.

Built from the target configuration (``[assurance]`` and the endpoint keys) and the ``run``
options that override it. Nothing here decides an outcome; it is printed in every report.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from spine_conformance.config.model import AssuranceConfig, TargetConfig

IDENTIFICATION_KEYS = tuple(AssuranceConfig.__dataclass_fields__)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique enough to quote in a ticket: UTC time and six random hex digits."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{moment}-{secrets.token_hex(3)}"


def assurance(target: TargetConfig, overrides: Mapping[str, str]) -> AssuranceConfig:
    """[assurance] with the non-empty ``run`` options laid over it."""
    chosen = {key: value for key, value in overrides.items() if key in IDENTIFICATION_KEYS and value}
    return replace(target.assurance, **chosen)


def _party(role: str, description: str, **fields: str) -> dict[str, str]:
    return {"role": role, "description": description, **{key: value for key, value in fields.items() if value}}


def parties(target: TargetConfig, suites: Collection[str]) -> list[dict[str, str]]:
    """Each system the run talked to (or stood in for), by role, with its endpoint, ASID and ODS code."""
    found: list[dict[str, str]] = []
    if "provider" in suites or "load" in suites:
        found.append(
            _party(
                "provider",
                "Appointments provider under test (FHIR service root, JWT aud)",
                url=target.provider.base_url,
                asid=target.provider.asid,
                healthcare_service=target.provider.healthcare_service,
            )
        )
        if target.provider.ssp_url:
            found.append(_party("ssp", "Spine Secure Proxy the requests went through", url=target.provider.ssp_url))
        found.append(
            _party(
                "harness",
                "The harness, acting as the consumer (Ssp-From, JWT iss and requesting organisation)",
                url=target.consumer.endpoint_url,
                asid=target.consumer.asid,
                ods_code=target.consumer.ods_code,
            )
        )
    if "exemption" in suites:
        found.append(_party("rtec", "Real Time Exemption Checking service under test", url=target.exemption.url))
    if "consumer" in suites:
        found.append(
            _party(
                "consumer",
                "Consumer under test (the ASID, ODS code and JWT iss it must present), made to act by "
                f"trigger = {target.consumer_under_test.trigger}",
                url=target.consumer.endpoint_url,
                asid=target.consumer.asid,
                ods_code=target.consumer.ods_code,
            )
        )
    return found


def identification(
    target: TargetConfig, suites: Collection[str], overrides: Mapping[str, str], *, embedded: bool
) -> dict[str, Any]:
    """The ``identification`` object of results.json (see results.schema.json)."""
    chosen = assurance(target, overrides)
    fields = asdict(chosen)
    fields["run_id"] = chosen.run_id or new_run_id()
    return {**fields, "embedded_demonstrator": embedded, "parties": parties(target, suites)}
