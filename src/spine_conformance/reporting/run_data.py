"""A finished run as read back from its folder: results.json plus the evidence files it references."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spine_conformance.paths import validator
from spine_conformance.results.build import SCHEMA_VERSION

RESULTS_FILE = "results.json"


class ReportInputError(ValueError):
    pass


@dataclass(frozen=True)
class RunData:
    directory: Path
    results: dict[str, Any]

    def evidence(self, scenario: dict[str, Any]) -> dict[str, Any]:
        """The scenario's evidence (findings, exchanges, TLS), or an empty record if it has none."""
        path = _evidence_file(self.directory, scenario)
        if path is not None:
            loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
            return loaded
        return {"findings": scenario.get("findings", []), "exchanges": [], "tls": [], "error": ""}

    def evidence_size(self, scenario: dict[str, Any]) -> int:
        path = _evidence_file(self.directory, scenario)
        return path.stat().st_size if path is not None else 0


def _evidence_file(directory: Path, scenario: dict[str, Any]) -> Path | None:
    for relative in scenario.get("evidence") or []:
        path = directory / str(relative)
        if path.is_file():
            return path
    return None


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ReportInputError(f"{path}: no results.json in that folder")
    try:
        results = json.loads(path.read_text("utf-8"))
    except ValueError as error:
        raise ReportInputError(f"{path} is not JSON: {error}") from None
    if not isinstance(results, dict):
        raise ReportInputError(f"{path} is not a results document (a JSON object)")
    return results


def load_run(directory: Path) -> RunData:
    path = directory / RESULTS_FILE
    results = _read_json(path)
    version = results.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReportInputError(
            f"{path} has results schema version {version}, this version of the tool renders version "
            f"{SCHEMA_VERSION}: run the suites again (an older results.json still works as a --baseline)"
        )
    errors = sorted(validator("results.schema.json").iter_errors(results), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(map(str, first.absolute_path)) or "(top)"
        raise ReportInputError(f"{path} does not match results.schema.json at {where}: {first.message}")
    return RunData(directory, results)


def load_baseline(path: Path) -> dict[str, Any]:
    """An earlier run's results, of this schema version or an older one (only what comparing needs)."""
    results = _read_json(path if path.name == RESULTS_FILE else path / RESULTS_FILE)
    try:
        for requirement in results["requirements"]:
            _ = (requirement["id"], requirement["status"], requirement["scenarios"])
        for scenario in results["scenarios"]:
            _ = (scenario["id"], scenario["status"], scenario["name"])
        _ = results["started"]
    except (KeyError, TypeError) as missing:
        raise ReportInputError(f"{path} is not a Spine Conformance results.json (no {missing})") from None
    return results
