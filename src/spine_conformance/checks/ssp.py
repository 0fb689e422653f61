"""The Ssp-* header rules (SSP-HDR-01…04), shared by the provider, the SSP and consumer checks."""

from __future__ import annotations

from collections.abc import Mapping

from spine_conformance import ssp
from spine_conformance.findings import Finding, FindingCollector
from spine_conformance.interactions import (
    DEFAULT_SLOT_INTERACTION,
    Interaction,
    interaction_from_id,
)


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    # Header names are case-insensitive (SC); plain dicts are not, so compare in lower case.
    return {name.lower(): value for name, value in headers.items()}


def ssp_header_findings(
    headers: Mapping[str, str],
    *,
    interaction: Interaction | None,
    expected_from: str | None = None,
    expected_to: str | None = None,
    slot_interaction: str = DEFAULT_SLOT_INTERACTION,
) -> list[Finding]:
    """One finding per Ssp-* rule the headers break (none when all four are right)."""
    found = _lower(headers)
    out = FindingCollector()

    trace = found.get(ssp.TRACE_ID.lower())
    if out.expect(trace is not None, "SSP-HDR-01", "an Ssp-TraceID header", trace):
        out.expect(ssp.is_uuid(trace or ""), "SSP-HDR-01", "Ssp-TraceID to be a UUID", trace)

    _asid_rules(out, "SSP-HDR-02", ssp.FROM, found.get(ssp.FROM.lower()), expected_from, "consumer")
    _asid_rules(out, "SSP-HDR-03", ssp.TO, found.get(ssp.TO.lower()), expected_to, "provider")

    declared = found.get(ssp.INTERACTION_ID.lower())
    if out.expect(declared is not None, "SSP-HDR-04", "an Ssp-InteractionID header", declared):
        named = interaction_from_id(declared or "", slot_interaction)
        if out.expect(named is not None, "SSP-HDR-04", "a known appointments interaction ID", declared):
            if interaction is None:
                out.add(
                    "SSP-HDR-04",
                    "a request that is one of the six interactions",
                    f"{declared} for this request",
                )
            else:
                expected = interaction.interaction_id(slot_interaction)
                out.expect(
                    named is interaction,
                    "SSP-HDR-04",
                    expected,
                    declared,
                    "the interaction ID must match the verb and path",
                )
    return out.findings


def _asid_rules(
    out: FindingCollector, requirement: str, header: str, value: str | None, expected: str | None, whose: str
) -> None:
    if not out.expect(value is not None, requirement, f"an {header} header", value):
        return
    if not out.expect(ssp.is_asid(value or ""), requirement, f"{header} to be a 12-digit ASID", value):
        return
    if expected is not None:
        out.expect(value == expected, requirement, f"{header} = the {whose} ASID {expected}", value)
