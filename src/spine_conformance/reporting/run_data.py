"""A finished run as read back from its folder: results.json plus the evidence files it references."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spine_conformance.paths import validator

RESULTS_FILE = "results.json"


class ReportInputError(ValueError):
    pass


@dataclass(frozen=True)
class RunData:
    directory: Path
    results: dict[str, Any]

    def evidence(self, scenario: dict[str, Any]) -> dict[str, Any]:
        """The scenario's evidence (findings, exchanges), or an empty record if it has none."""
        for relative in scenario.get("evidence") or []:
            path = self.directory / relative
            if path.is_file():
                loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
                return loaded
        return {"findings": scenario.get("findings", []), "exchanges": [], "error": ""}


def load_run(directory: Path) -> RunData:
    path = directory / RESULTS_FILE
    if not path.is_file():
        raise ReportInputError(f"{path}: no results.json in that folder")
    try:
        results = json.loads(path.read_text("utf-8"))
    except ValueError as error:
        raise ReportInputError(f"{path} is not JSON: {error}") from None
    errors = sorted(validator("results.schema.json").iter_errors(results), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(map(str, first.absolute_path)) or "(top)"
        raise ReportInputError(f"{path} does not match results.schema.json at {where}: {first.message}")
    return RunData(directory, results)


def load_baseline(path: Path) -> dict[str, Any]:
    return load_run(path.parent if path.name == RESULTS_FILE else path).results
