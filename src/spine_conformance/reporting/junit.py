"""junit.xml: one testcase per scenario, requirement IDs as properties (rendered from results.json)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any


def write_junit(results: dict[str, Any], path: Path) -> None:
    by_feature: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for scenario in results["scenarios"]:
        by_feature[scenario.get("feature_file") or scenario["feature"]].append(scenario)
    root = ET.Element(
        "testsuites",
        name="spine-conformance",
        tests=str(len(results["scenarios"])),
        failures=str(results["summary"]["failed"]),
        time=f"{results['duration_s']:.3f}",
    )
    for feature_file, scenarios in by_feature.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=scenarios[0]["feature"] or feature_file,
            tests=str(len(scenarios)),
            failures=str(sum(s["status"] == "failed" for s in scenarios)),
            skipped=str(sum(s["status"] in ("skipped", "not_tested") for s in scenarios)),
            time=f"{sum(s['duration_s'] for s in scenarios):.3f}",
            timestamp=results["started"],
        )
        for scenario in scenarios:
            case = ET.SubElement(
                suite, "testcase", classname=feature_file, name=scenario["name"], time=f"{scenario['duration_s']:.3f}"
            )
            properties = ET.SubElement(case, "properties")
            for requirement in scenario["requirements"]:
                ET.SubElement(properties, "property", name="requirement", value=requirement)
            for tag in scenario["tags"]:
                ET.SubElement(properties, "property", name="tag", value=tag)
            if scenario["status"] == "failed":
                failure = ET.SubElement(case, "failure", message=scenario["message"][:500])
                failure.text = (
                    "\n".join(
                        f"[{f['requirement']}] expected {f['expected']}; got {f['actual']}"
                        for f in scenario["findings"]
                    )
                    or scenario["message"]
                )
            elif scenario["status"] in ("skipped", "not_tested"):
                ET.SubElement(case, "skipped", message=f"{scenario['status'].replace('_', ' ')}: {scenario['message']}")
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
