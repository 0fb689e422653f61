"""report.html embeds every scenario's evidence until its budget is spent, then links the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spine_conformance.reporting import html
from spine_conformance.reporting.run_data import RunData


def _run(directory: Path, sizes: list[int]) -> RunData:
    scenarios = []
    for index, size in enumerate(sizes):
        relative = f"evidence/s{index}.json"
        (directory / "evidence").mkdir(exist_ok=True)
        (directory / relative).write_text(json.dumps({"exchanges": [], "pad": "x" * size}))
        scenarios.append({"id": f"s{index}", "evidence": [relative]})
    return RunData(directory, {"scenarios": scenarios})


def test_evidence_is_embedded_until_the_budget_is_spent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "MAX_EMBEDDED_EVIDENCE_CHARS", 300)  # each file is ~130 characters
    embedded = html.scenario_evidence(_run(tmp_path, [100, 100, 100, 10]))
    assert [key for key, value in embedded.items() if value is None] == ["s2"]  # s3 still fits after s2 is left out
    assert embedded["s0"] == {"exchanges": [], "pad": "x" * 100}
