"""Render every artefact of a run folder from its results.json and evidence (used by run and report)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spine_conformance.reporting.allure_results import write_run_panels
from spine_conformance.reporting.baseline import Comparison, compare
from spine_conformance.reporting.html import write_html
from spine_conformance.reporting.junit import write_junit
from spine_conformance.reporting.manifest import write_manifest
from spine_conformance.reporting.rtm import write_rtm
from spine_conformance.reporting.run_data import RunData, load_baseline, load_run

COMPARISON_FILE = "comparison.json"
ALLURE_DIR = "allure-results"


@dataclass(frozen=True)
class Rendered:
    run: RunData
    comparison: Comparison | None


def render_all(directory: Path, baseline: Path | None = None) -> Rendered:
    """report.html, rtm.csv, junit.xml, comparison.json (with a baseline) and, last, manifest.json."""
    run = load_run(directory)
    comparison = _comparison(run, directory, baseline)
    write_rtm(run.results, directory / "rtm.csv")
    write_junit(run.results, directory / "junit.xml")
    write_html(run, directory / "report.html", comparison)
    if (directory / ALLURE_DIR).is_dir():
        write_run_panels(directory / ALLURE_DIR, run.results)
    write_manifest(directory)
    return Rendered(run, comparison)


def _comparison(run: RunData, directory: Path, baseline: Path | None) -> Comparison | None:
    stored = directory / COMPARISON_FILE
    if baseline is not None:
        comparison = compare(run.results, load_baseline(baseline))
        stored.write_text(json.dumps(comparison.as_dict(), indent=2) + "\n", "utf-8")
        return comparison
    if stored.is_file():  # re-rendering: keep the comparison made at run time
        stored_fields = json.loads(stored.read_text("utf-8"))
        stored_fields.pop("regressed", None)  # derived, written for readers of comparison.json
        return Comparison(**stored_fields)
    return None
