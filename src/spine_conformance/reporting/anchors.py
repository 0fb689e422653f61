"""Links into report.html: every requirement and scenario has an anchor other artefacts point at."""

from __future__ import annotations

REPORT_FILE = "report.html"


def requirement_anchor(requirement_id: str, report: str = REPORT_FILE) -> str:
    return f"{report}#req-{requirement_id}"


def scenario_anchor(scenario_id: str, report: str = REPORT_FILE) -> str:
    return f"{report}#scenario-{scenario_id}"
