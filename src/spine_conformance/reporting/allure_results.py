"""Make the Allure results safe to keep: no fixture dumps in step parameters, everything redacted.

allure-pytest-bdd records every argument of a step function as a parameter, including fixtures
(the target configuration, whole HTTP responses with their tokens). Only the arguments parsed
from the step text are kept, and every string left is passed through the run's redactor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spine_conformance.redact import Redactor

# The names steps parse out of their text (parsers.parse placeholders); a unit test keeps this complete.
STEP_ARGUMENTS = frozenset(
    {"defect", "field", "element", "status", "requirement", "count", "which", "task", "verb", "age", "answer"}
)
TEXT_ATTACHMENT_SUFFIXES = (".json", ".txt", ".csv", ".log", ".xml", ".html")
# Allure's own statuses: "failed" is an assertion the target broke, "broken" any other exception,
# which here is always a problem of the run (HarnessError, a defect in a step), never the target's.
CATEGORIES = [
    {"name": "Target failures: a requirement was broken", "matchedStatuses": ["failed"]},
    {"name": "Run errors: the run could not judge (not the target's fault)", "matchedStatuses": ["broken"]},
    {"name": "Not tested", "matchedStatuses": ["skipped"]},
]


def _clean_steps(steps: list[dict[str, Any]]) -> None:
    for step in steps:
        step["parameters"] = [p for p in step.get("parameters", []) if p.get("name") in STEP_ARGUMENTS]
        _clean_steps(step.get("steps", []))


def write_categories(directory: Path) -> None:
    (directory / "categories.json").write_text(json.dumps(CATEGORIES, indent=2) + "\n", "utf-8")


def sanitise(directory: Path, redactor: Redactor) -> int:
    """Rewrite every result and text attachment in ``directory``; returns how many files were rewritten."""
    rewritten = 0
    for path in sorted(directory.glob("*")):
        if not path.is_file():
            continue
        if path.name.endswith(("-result.json", "-container.json")):
            document = json.loads(path.read_text("utf-8"))
            _clean_steps(document.get("steps", []))
            path.write_text(json.dumps(redactor.data(document), ensure_ascii=False), "utf-8")
            rewritten += 1
        elif "-attachment" in path.name and path.suffix in TEXT_ATTACHMENT_SUFFIXES:
            path.write_text(redactor.text(path.read_text("utf-8", errors="replace")), "utf-8")
            rewritten += 1
    return rewritten
