"""report.html: one self-contained page (inline CSS, no script, nothing fetched) a person reads."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from spine_conformance.load.plot import load_plot_svg
from spine_conformance.reporting.baseline import Comparison
from spine_conformance.reporting.run_data import RunData
from spine_conformance.requirements import INTERFACE_TITLES

MAX_FAILED_SCENARIOS_WITH_EVIDENCE = 200
# Evidence of every scenario is embedded in the page (collapsed) up to this many characters of
# evidence files; past it a scenario links to its evidence file instead, so the page stays usable.
MAX_EMBEDDED_EVIDENCE_CHARS = 25_000_000

_environment = Environment(
    loader=PackageLoader("spine_conformance.reporting", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def cited_links(source: str) -> list[tuple[str, str]]:
    """A finding's ``source`` as (text, url) pairs to show as links; url is "" for plain text.

    The validator and booking rules cite as "title (version): https://..." and a finding lists
    several citations separated by "; " (see fhir.rule_sources and checks.validity).
    """
    links: list[tuple[str, str]] = []
    for part in (piece.strip() for piece in source.split("; ")):
        title, _, url = part.rpartition(": ")
        if title and url.startswith("https://"):
            links.append((title, url))
        elif part.startswith("https://"):
            links.append((part, part))
        elif part:
            links.append((part, ""))
    return links


_environment.filters["cited_links"] = cited_links


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timing_table(results: dict[str, Any]) -> list[dict[str, Any]]:
    by_interaction: dict[str, list[float]] = defaultdict(list)
    for scenario in results["scenarios"]:
        for timing in scenario.get("timings", []):
            by_interaction[timing["interaction"] or "other"].append(timing["elapsed_s"])
    return [
        {
            "interaction": name,
            "count": len(values),
            "p50_ms": statistics.median(values) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
            "max_ms": max(values) * 1000,
        }
        for name, values in sorted(by_interaction.items())
    ]


def matrix(results: dict[str, Any], in_scope: bool = True) -> list[dict[str, Any]]:
    """Requirements (in or out of the run's scope) grouped by interface, then by interaction."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    scenario_interactions = {
        s["id"]: [t.split(":", 1)[1] for t in s["tags"] if t.startswith("interaction:")] for s in results["scenarios"]
    }
    for requirement in results["requirements"]:
        if requirement["in_scope"] != in_scope:
            continue
        interactions = sorted({i for s in requirement["scenarios"] for i in scenario_interactions.get(s, [])})
        key = interactions[0] if len(interactions) == 1 else "cross-cutting"
        groups[requirement.get("interface", "common")][key].append(requirement)
    return [
        {
            "interface": INTERFACE_TITLES.get(interface, interface),
            "interactions": [
                {"name": name, "requirements": reqs}
                for name, reqs in sorted(by_interaction.items(), key=lambda item: (item[0] == "cross-cutting", item[0]))
            ],
        }
        for interface, by_interaction in sorted(
            groups.items(), key=lambda item: list(INTERFACE_TITLES).index(item[0]) if item[0] in INTERFACE_TITLES else 9
        )
    ]


def failures(run: RunData) -> list[dict[str, Any]]:
    """Failed requirements, each with its failing scenarios and their evidence (bounded)."""
    scenarios = {s["id"]: s for s in run.results["scenarios"]}
    shown = 0
    out = []
    for requirement in run.results["requirements"]:
        if requirement["status"] != "failed":
            continue
        failing = []
        for scenario_id in requirement["scenarios"]:
            scenario = scenarios.get(scenario_id)
            if scenario is None or scenario["status"] != "failed":
                continue
            evidence = run.evidence(scenario) if shown < MAX_FAILED_SCENARIOS_WITH_EVIDENCE else None
            shown += 1
            failing.append({"scenario": scenario, "evidence": evidence})
        out.append({"requirement": requirement, "scenarios": failing})
    return out


def errored(run: RunData) -> list[dict[str, Any]]:
    """Scenarios the run could not judge, with their evidence (bounded like the failures)."""
    scenarios = [s for s in run.results["scenarios"] if s["status"] == "error"]
    return [
        {"scenario": s, "evidence": run.evidence(s) if i < MAX_FAILED_SCENARIOS_WITH_EVIDENCE else None}
        for i, s in enumerate(scenarios)
    ]


def scenario_evidence(run: RunData) -> dict[str, dict[str, Any] | None]:
    """Each scenario's evidence to embed, in page order; None once the page's budget is spent."""
    embedded: dict[str, dict[str, Any] | None] = {}
    spent = 0
    for scenario in run.results["scenarios"]:
        size = run.evidence_size(scenario)
        if spent + size > MAX_EMBEDDED_EVIDENCE_CHARS:
            embedded[scenario["id"]] = None
            continue
        spent += size
        embedded[scenario["id"]] = run.evidence(scenario)
    return embedded


MAX_CERTIFICATE_ROWS = 500


def tls_certificates(run: RunData) -> list[dict[str, Any]]:
    """Every certificate presented in the TLS scenarios (either side), with the connection it was shown on."""
    rows: list[dict[str, Any]] = []
    for scenario in run.results["scenarios"]:
        if not any(req.startswith("TLS-") for req in scenario["requirements"]):
            continue
        for exchange in run.evidence(scenario).get("exchanges", []):
            response = exchange.get("response") or {}
            outcome = f"HTTP {response['status']}" if response.get("status") is not None else exchange.get("error", "")
            for certificate in exchange.get("certificates", []):
                if len(rows) >= MAX_CERTIFICATE_ROWS:
                    return rows
                rows.append(
                    {"scenario": scenario, "connection": exchange.get("label", ""), "outcome": outcome, **certificate}
                )
    return rows


def advisories(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"scenario": scenario, "finding": finding}
        for scenario in results["scenarios"]
        for finding in scenario.get("advisories", [])
    ]


def render_html(run: RunData, comparison: Comparison | None = None) -> str:
    results = run.results
    template = _environment.get_template("report.html.j2")
    load = results.get("load")
    # The plot is built here from numbers in results.json, never taken from it as markup.
    plot = load_plot_svg(load["timeline"], load.get("settings", {}).get("latency_budget_ms", 0)) if load else ""
    return template.render(
        results=results,
        verdict=results["verdict"],
        load=load,
        load_plot=Markup(plot),
        failures=failures(run),
        errored=errored(run),
        advisories=advisories(results),
        certificates=tls_certificates(run),
        requirements_by_id={r["id"]: r for r in results["requirements"]},
        scenario_names={s["id"]: s["name"] for s in results["scenarios"]},
        scenario_evidence=scenario_evidence(run),
        identification=results.get("identification", {}),
        matrix=matrix(results),
        out_of_scope=matrix(results, in_scope=False),
        timings=timing_table(results),
        comparison=comparison,
        statuses=["failed", "error", "passed", "not-tested"],
    )


def write_html(run: RunData, path: Path, comparison: Comparison | None = None) -> None:
    path.write_text(render_html(run, comparison), "utf-8")
