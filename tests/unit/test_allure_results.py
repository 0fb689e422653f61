"""The Allure sanitiser keeps parsed step arguments only and redacts everything else."""

from __future__ import annotations

import json
import re
from pathlib import Path

from spine_conformance.config.model import TargetConfig
from spine_conformance.redact import Redactor
from spine_conformance.reporting.allure_results import STEP_ARGUMENTS, sanitise

STEPS = Path(__file__).resolve().parents[2] / "steps"


def test_step_arguments_cover_every_parsed_placeholder() -> None:
    placeholders = set()
    for module in STEPS.glob("*.py"):
        for pattern in re.findall(r'parsers\.parse\(\s*"([^"]+)"', module.read_text()):
            placeholders |= set(re.findall(r"\{(\w+)", pattern))
    assert placeholders <= STEP_ARGUMENTS, sorted(placeholders - STEP_ARGUMENTS)


def test_sanitise_drops_fixture_parameters_and_redacts(tmp_path: Path) -> None:
    result = {
        "name": "Parker's booking",
        "steps": [
            {
                "name": "When the consumer books",
                "parameters": [
                    {"name": "target", "value": "nhs_number='9434765919'"},
                    {"name": "defect", "value": "x"},
                ],
                "steps": [{"name": "inner", "parameters": [{"name": "response", "value": "Bearer a.b.c"}]}],
            }
        ],
    }
    (tmp_path / "1-result.json").write_text(json.dumps(result))
    (tmp_path / "2-attachment.txt").write_text("patient 9434765919")
    assert sanitise(tmp_path, Redactor.for_target(TargetConfig())) == 2
    cleaned = json.loads((tmp_path / "1-result.json").read_text())
    assert cleaned["steps"][0]["parameters"] == [{"name": "defect", "value": "x"}]
    assert cleaned["steps"][0]["steps"][0]["parameters"] == []
    assert "Parker" not in cleaned["name"]
    assert "9434765919" not in (tmp_path / "2-attachment.txt").read_text()
