"""junit.xml: one testcase per scenario, requirement IDs as properties (rendered from results.json)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from spine_conformance.reporting.anchors import requirement_anchor, scenario_anchor


def write_junit(results: dict[str, Any], path: Path) -> None:
    by_feature: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for scenario in results["scenarios"]:
        by_feature[scenario.get("feature_file") or scenario["feature"]].append(scenario)
    summary = results["summary"]
    root = ET.Element(
        "testsuites",
        name="spine-conformance",
        tests=str(len(results["scenarios"])),
        failures=str(summary["failed"]),
        errors=str(summary["error"]),
        skipped=str(summary["skipped"] + summary["not_tested"]),
        time=f"{results['duration_s']:.3f}",
    )
    run_properties = ET.SubElement(root, "properties")
    ET.SubElement(run_properties, "property", name="verdict", value=results["verdict"]["status"])
    ET.SubElement(run_properties, "property", name="report", value="report.html")
    identification = results.get("identification", {})
    for key in ("run_id", "system", "system_version", "tester", "environment"):
        if identification.get(key):
            ET.SubElement(run_properties, "property", name=key, value=identification[key])
    for feature_file, scenarios in by_feature.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=scenarios[0]["feature"] or feature_file,
            tests=str(len(scenarios)),
            failures=str(sum(s["status"] == "failed" for s in scenarios)),
            errors=str(sum(s["status"] == "error" for s in scenarios)),
            skipped=str(sum(s["status"] in ("skipped", "not_tested") for s in scenarios)),
            time=f"{sum(s['duration_s'] for s in scenarios):.3f}",
            timestamp=results["started"],
        )
        for scenario in scenarios:
            case = ET.SubElement(
                suite, "testcase", classname=feature_file, name=scenario["name"], time=f"{scenario['duration_s']:.3f}"
            )
            properties = ET.SubElement(case, "properties")
            # Links into report.html (beside junit.xml): the scenario's evidence and each requirement's row.
            ET.SubElement(properties, "property", name="report", value=scenario_anchor(scenario["id"]))
            for requirement in scenario["requirements"]:
                ET.SubElement(properties, "property", name="requirement", value=requirement)
                ET.SubElement(
                    properties,
                    "property",
                    name=f"requirement_report:{requirement}",
                    value=requirement_anchor(requirement),
                )
            for tag in scenario["tags"]:
                ET.SubElement(properties, "property", name="tag", value=tag)
            for advisory in scenario.get("advisories", []):
                ET.SubElement(
                    properties,
                    "property",
                    name="advisory",
                    value=f"[{advisory['requirement']}] expected {advisory['expected']}; got {advisory['actual']}",
                )
            if scenario["status"] == "failed":
                failure = ET.SubElement(case, "failure", message=scenario["message"][:500])
                failure.text = (
                    "\n".join(
                        f"[{f['requirement']}] expected {f['expected']}; got {f['actual']}"
                        for f in scenario["findings"]
                    )
                    or scenario["message"]
                )
            elif scenario["status"] == "error":
                # The run could not judge: a JUnit error, never a failure charged to the target.
                error = ET.SubElement(case, "error", message=scenario["message"][:500])
                error.text = scenario.get("cause") or scenario["message"]
            elif scenario["status"] in ("skipped", "not_tested"):
                ET.SubElement(case, "skipped", message=f"{scenario['status'].replace('_', ' ')}: {scenario['message']}")
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
