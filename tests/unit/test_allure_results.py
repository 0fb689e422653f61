"""Allure results are written already cleaned and redacted (reporting.allure_results)."""

from __future__ import annotations

import re
from pathlib import Path

import allure_commons
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import TestResult as AllureResult
from allure_commons.model2 import TestStepResult as AllureStep

from spine_conformance.config.model import TargetConfig
from spine_conformance.redact import Redactor
from spine_conformance.reporting.allure_results import (
    STEP_ARGUMENTS,
    RedactingFileLogger,
    install_redacting_logger,
    safe_document,
    uninstall,
)

STEPS = Path(__file__).resolve().parents[2] / "steps"
REDACTOR = Redactor.for_target(TargetConfig())


def test_step_arguments_cover_every_parsed_placeholder() -> None:
    placeholders = set()
    for module in STEPS.glob("*.py"):
        for pattern in re.findall(r'parsers\.parse\(\s*"([^"]+)"', module.read_text()):
            placeholders |= set(re.findall(r"\{(\w+)", pattern))
    assert placeholders <= STEP_ARGUMENTS, sorted(placeholders - STEP_ARGUMENTS)


def test_a_document_keeps_parsed_step_arguments_only_and_is_redacted() -> None:
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
    cleaned = safe_document(result, REDACTOR)
    assert cleaned["steps"][0]["parameters"] == [{"name": "defect", "value": "x"}]
    assert cleaned["steps"][0]["steps"][0]["parameters"] == []
    assert "Parker" not in cleaned["name"]


def test_the_logger_writes_nothing_in_clear(tmp_path: Path) -> None:
    """Observed: an interrupted run left allure-results with the NHS number and names in clear."""
    logger = RedactingFileLogger(tmp_path, REDACTOR)
    step = AllureStep(name="When Jane Parker books", parameters=[])
    logger.report_result(AllureResult(uuid="u1", name="booking for 9434765919", steps=[step]))
    logger.report_attached_data("patient 9434765919, Parker", "a1-attachment.json")
    logger.report_attached_data(b"\x89PNG 9434765919", "a2-attachment.png")  # binary: left as it is
    written = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    texts = [data.decode("utf-8", "replace") for name, data in written.items() if not name.endswith(".png")]
    assert len(texts) == 2 and not any(name.endswith(".tmp") for name in written)
    assert all("9434765919" not in text and "Parker" not in text for text in texts)


def test_install_replaces_allures_plain_writer(tmp_path: Path) -> None:
    plain = AllureFileLogger(str(tmp_path))
    allure_commons.plugin_manager.register(plain)
    try:
        logger = install_redacting_logger(REDACTOR)
        assert logger is not None
        assert not allure_commons.plugin_manager.is_registered(plain)
        assert allure_commons.plugin_manager.is_registered(logger)
        uninstall(logger)
        assert not allure_commons.plugin_manager.is_registered(logger)
        assert allure_commons.plugin_manager.is_registered(plain)  # allure's clean-up expects to find it
    finally:
        if allure_commons.plugin_manager.is_registered(plain):
            allure_commons.plugin_manager.unregister(plain)
