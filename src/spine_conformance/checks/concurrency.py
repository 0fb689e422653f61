"""Racing requests: exactly one writer wins (CONC-03, CONC-04)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spine_conformance.findings import FindingCollector


def check_single_winner(statuses: Sequence[int], winner: int, losers: int, requirement: str) -> None:
    """Exactly one response is ``winner``; every other one is ``losers``."""
    counts = Counter(statuses)
    seen = ", ".join(f"{count}× {status}" for status, count in sorted(counts.items()))
    out = FindingCollector()
    out.expect(counts[winner] == 1, requirement, f"exactly one {winner} among {len(statuses)} racing requests", seen)
    out.expect(
        counts[winner] + counts[losers] == len(statuses),
        requirement,
        f"every other request refused with {losers}",
        seen,
    )
    out.raise_if_any()


def check_no_lost_update(final_version: str, start_version: str) -> None:
    """CONC-03: one write landed, not several: the version moved on by exactly one (when numeric)."""
    if start_version.isdigit() and final_version.isdigit():
        expected = str(int(start_version) + 1)
        ok = final_version == expected
    else:
        expected, ok = f"other than {start_version}", final_version != start_version
    out = FindingCollector()
    out.expect(ok, "CONC-03", f"versionId {expected} after the race", f"versionId {final_version}")
    out.raise_if_any()
