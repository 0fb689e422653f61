"""Time to render every report artefact for a large run (default 2,000 scenarios): prints, asserts nothing.

Builds a synthetic but schema-valid results.json with evidence files (a tenth of the scenarios
failing, each with an HTTP exchange), then times ``render_all`` (report.html, rtm.csv,
junit.xml, manifest.json).

Usage: python benchmarks/report_render.py [--scenarios N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from spine_conformance.reporting.render import render_all
from spine_conformance.requirements import catalogue
from spine_conformance.results.build import RunInfo, build_results
from spine_conformance.results.records import FAILED, PASSED, ScenarioRecord

EXCHANGE = {
    "label": "book",
    "interaction": "create_appointment",
    "elapsed_s": 0.004,
    "error": "",
    "token": None,
    "request": {
        "method": "POST",
        "url": "https://provider.example/STU3/1/Appointment",
        "headers": [["content-type", "application/fhir+json"]],
        "body": {"text": "{" + '"a": 1, ' * 200 + '"b": 2}', "encoding": "utf-8", "size": 1600, "truncated": False},
    },
    "response": {
        "status": 200,
        "headers": [["content-type", "application/fhir+json"]],
        "body": {"text": '{"resourceType": "Appointment"}', "encoding": "utf-8", "size": 31, "truncated": False},
    },
}


def synthetic_run(directory: Path, count: int) -> None:
    requirements = list(catalogue())
    records = []
    for index in range(count):
        requirement = requirements[index % len(requirements)]
        failed = index % 10 == 0
        findings = (
            [{"requirement": requirement, "expected": "HTTP 201", "actual": "HTTP 200", "detail": ""}] if failed else []
        )
        records.append(
            ScenarioRecord(
                id=f"scenario-{index:05d}",
                feature="Synthetic",
                feature_file=f"features/synthetic/f{index % 40}.feature",
                name=f"Scenario {index}",
                tags=[f"req:{requirement}", "interaction:create_appointment"],
                status=FAILED if failed else PASSED,
                duration_s=0.01,
                message="HTTP 200" if failed else "",
                requirements=[requirement],
                findings=findings,
                exchanges=[EXCHANGE] * 3,
            )
        )
    evidence = {}
    (directory / "evidence").mkdir(parents=True)
    for record in records:
        path = f"evidence/{record.id}.json"
        (directory / path).write_text(
            json.dumps({"findings": record.findings, "error": "", "exchanges": record.exchanges})
        )
        evidence[record.id] = path
    run = RunInfo("Synthetic target", ["provider"], "2026-01-01T00:00:00+00:00", 60.0)
    (directory / "results.json").write_text(json.dumps(build_results(records, run, evidence)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        synthetic_run(directory, args.scenarios)
        render_all(directory)  # warm-up: template compilation, imports
        timings = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            render_all(directory)
            timings.append(time.perf_counter() - began)
        size = (directory / "report.html").stat().st_size
    print(
        f"render {args.scenarios} scenarios: median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s over {args.repeat} runs (report.html {size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
