"""rtm.csv: the requirement traceability matrix assurance teams file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from spine_conformance.reporting.anchors import requirement_anchor, scenario_anchor

COLUMNS = (
    "requirement",
    "level",
    "title",
    "role",
    "interface",
    "in_scope",
    "status",
    "reason",
    "scenarios",
    "advisories",
    "source",
    "source_links",
    "report_link",
    "scenario_links",
)


def write_rtm(results: dict[str, Any], path: Path) -> None:
    names = {scenario["id"]: scenario["name"] for scenario in results["scenarios"]}
    # utf-8-sig: the byte-order mark makes spreadsheet software read the file as UTF-8 (em dashes, names).
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        if not results.get("redacted", True):
            writer.writerow(["REDACTION OFF (--no-redact): tokens and patient data appear in this run's artefacts"])
        writer.writerow(COLUMNS)
        for requirement in results["requirements"]:
            writer.writerow(
                _cell(value)
                for value in [
                    requirement["id"],
                    requirement["level"],
                    requirement["title"],
                    requirement["role"],
                    requirement.get("interface", ""),
                    "yes" if requirement["in_scope"] else "no",
                    requirement["status"],
                    requirement.get("reason", ""),
                    "; ".join(names.get(s, s) for s in requirement["scenarios"]),
                    str(len(requirement.get("advisories", []))),
                    requirement["source"],
                    " ".join(f"{src['url']} ({src['version']})" for src in requirement["sources"]),
                    requirement_anchor(requirement["id"]),
                    " ".join(scenario_anchor(s) for s in requirement["scenarios"]),
                ]
            )


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: reasons quote the target, and '=…' would run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
