"""report.html as an evidence pack: what was tested and by whom, followable links, printable.

One run against a demonstrator with a fault, identified through [assurance] and run options;
every link other artefacts make into the page must land on an anchor that exists.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from spine_conformance.config.model import AssuranceConfig
from spine_conformance.demonstrator.embedded import Demonstrator
from spine_conformance.requirements import catalogue
from tests.browser import needs_chromium, print_to_pdf
from tests.suite_runner import NOT_MATRIX, SuiteRun, run_suite, write_target

# The pack's run is made once for all its tests: they run on one xdist worker.
pytestmark = pytest.mark.xdist_group("evidence-pack")
SYSTEM = AssuranceConfig(system="Acme PAS", system_version="4.2.1", tester="from the file", environment="INT")


class Anchors(HTMLParser):
    """Every id in the page and every in-page link (#…) it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.links.append(href[1:])


def properties_file(text: str) -> dict[str, str]:
    """A Java .properties file as Allure reads it (only the escapes our writer makes)."""
    values = {}
    for line in text.splitlines():
        key, _, value = re.split(r"(?<!\\)(=)", line, maxsplit=1)
        values[re.sub(r"\\(.)", r"\1", key)] = re.sub(r"\\(.)", r"\1", value)
    return values


def anchors(html: str) -> Anchors:
    parser = Anchors()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, Path]:
    scratch = tmp_path_factory.mktemp("pack")
    with Demonstrator(faults=["create-relative-location"]) as demonstrator:
        from dataclasses import replace

        config = write_target(replace(demonstrator.config, name="Acme PAS (test)", assurance=SYSTEM), scratch)
        run = run_suite(
            scratch / "report",
            "--config",
            str(config),
            "--suite",
            "provider",
            "--tester",
            "Jo Bloggs, Acme assurance",
            "--run-id",
            "ACME-2026-12-02.1",
            *NOT_MATRIX,
        )
    return run, scratch / "report"


def test_the_pack_names_what_was_tested_and_by_whom(pack: tuple[SuiteRun, Path]) -> None:
    run, directory = pack
    assert run.exit_code == 1, run.output
    identification = run.results["identification"]
    # The option overrides [assurance]; what the option did not give comes from the file.
    assert identification["tester"] == "Jo Bloggs, Acme assurance"
    assert identification["run_id"] == "ACME-2026-12-02.1"
    assert (identification["system"], identification["system_version"], identification["environment"]) == (
        "Acme PAS",
        "4.2.1",
        "INT",
    )
    roles = {party["role"]: party for party in identification["parties"]}
    assert set(roles) == {"provider", "ssp", "harness"}  # the provider suite only: no RTEC, no consumer
    assert roles["provider"]["asid"] == "918999198993" and roles["provider"]["url"].startswith("https://127.0.0.1:")
    assert roles["harness"]["ods_code"] == "A11111"
    html = (directory / "report.html").read_text("utf-8")
    for shown in (
        "Acme PAS 4.2.1",
        "Jo Bloggs, Acme assurance",
        "ACME-2026-12-02.1",
        "INT",
        roles["provider"]["url"],
        roles["ssp"]["url"],
        "918999198993",
        "A11111",
        f"spine-conformance {run.results['tool']['version']}",
        run.results["tool"]["catalogue_sha256"],
    ):
        assert shown in html, shown
    environment = properties_file((directory / "allure-results" / "environment.properties").read_text("ascii"))
    assert environment["Run id"] == "ACME-2026-12-02.1" and environment["Verdict"] == "FAIL"
    assert environment["Tester"] == "Jo Bloggs, Acme assurance"
    executor = json.loads((directory / "allure-results" / "executor.json").read_text())
    assert "ACME-2026-12-02.1" in executor["buildName"]
    junit = ET.parse(directory / "junit.xml").getroot()
    properties = {p.get("name"): p.get("value") for p in junit.find("properties") or []}
    assert properties["run_id"] == "ACME-2026-12-02.1" and properties["verdict"] == "FAIL"


def test_every_requirement_and_scenario_has_one_anchor_and_every_link_lands(pack: tuple[SuiteRun, Path]) -> None:
    run, directory = pack
    page = anchors((directory / "report.html").read_text("utf-8"))
    duplicates = {name for name in page.ids if page.ids.count(name) > 1}
    assert not duplicates
    ids = set(page.ids)
    assert {f"req-{r['id']}" for r in run.results["requirements"]} <= ids
    assert {f"scenario-{s['id']}" for s in run.results["scenarios"]} <= ids
    assert set(page.links) <= ids, sorted(set(page.links) - ids)
    # The other artefacts link to the same anchors.
    outside: list[str] = []
    junit = ET.parse(directory / "junit.xml").getroot()
    outside += [
        p.get("value") or ""
        for p in junit.iter("property")
        if (p.get("name") or "").startswith(("report", "requirement_report"))
    ]
    with (directory / "rtm.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            outside += [row["report_link"], *row["scenario_links"].split()]
    for result in (directory / "allure-results").glob("*-result.json"):
        outside += [
            link["url"] for link in json.loads(result.read_text())["links"] if link["type"] in ("report", "requirement")
        ]
    fragments = [link.split("#", 1)[1] for link in outside if "#" in link]
    assert len(fragments) > len(run.results["scenarios"])
    assert set(fragments) <= ids, sorted(set(fragments) - ids)
    assert all(link.startswith(("report.html#", "../report.html#")) for link in outside if "#" in link)


def test_a_passed_scenario_shows_its_exchanges_and_the_tls_scenario_its_certificate(
    pack: tuple[SuiteRun, Path],
) -> None:
    run, directory = pack
    html = (directory / "report.html").read_text("utf-8")
    passed = next(s for s in run.results["scenarios"] if s["status"] == "passed" and s["timings"])
    section = html[html.index(f'id="scenario-{passed["id"]}"') :]
    section = section[
        : section.index("</details>\n  <details id=") if "</details>\n  <details id=" in section else None
    ]
    evidence = json.loads((directory / passed["evidence"][0]).read_text())
    assert escape(evidence["exchanges"][0]["request"]["url"]) in section
    tls = next(s for s in run.results["scenarios"] if "req:TLS-01" in s["tags"] and s["status"] == "passed")
    exchanges = json.loads((directory / tls["evidence"][0]).read_text())["exchanges"]
    seen = next(c for e in exchanges for c in e.get("certificates", []) if c["role"] == "server")
    assert re.fullmatch(r"([0-9a-f]{2}:){31}[0-9a-f]{2}", seen["sha256"])
    scenario_section = html[html.index(f'id="scenario-{tls["id"]}"') :]
    assert seen["sha256"] in scenario_section.split("</details>\n  <details id=")[0]
    assert "Certificate presented by the server" in html and "TLS certificates presented" in html


def test_the_matrix_holds_only_the_suites_that_ran(pack: tuple[SuiteRun, Path]) -> None:
    _, directory = pack
    html = (directory / "report.html").read_text("utf-8")
    matrix = html[html.index('<h2 id="matrix">') : html.index("Requirements outside this run's scope")]
    assert "RTEC-RES-01" not in matrix and "CON-BOOK-01" not in matrix
    assert "APPT-CREATE-01" in matrix
    assert "RTEC-RES-01" in html  # listed, as out of scope, under its own heading


def test_rtm_csv_opens_as_utf8_in_spreadsheets(pack: tuple[SuiteRun, Path]) -> None:
    _, directory = pack
    assert (directory / "rtm.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_allure_severity_follows_the_level_and_suites_follow_interface_and_interaction(
    pack: tuple[SuiteRun, Path],
) -> None:
    _, directory = pack
    results = [json.loads(p.read_text()) for p in (directory / "allure-results").glob("*-result.json")]
    labels = [{(label["name"], label["value"]) for label in result["labels"]} for result in results]
    booking = next(found for found in labels if ("requirement", "APPT-CREATE-01") in found)
    assert ("severity", "critical") in booking  # APPT-CREATE-01 is a MUST
    assert ("parentSuite", "Appointments (FHIR STU3 via the SSP)") in booking
    single = [found for found in labels if sum(name == "interaction" for name, _ in found) == 1]
    assert single
    for found in single:
        interaction = next(value for name, value in found if name == "interaction")
        assert ("suite", interaction) in found
    for found in labels:
        levels = {
            catalogue()[value].level for name, value in found if name == "requirement" and catalogue()[value].normative
        }
        if "MUST" in levels:
            assert ("severity", "critical") in found


@needs_chromium
def test_the_report_prints_to_usable_pdf_pages(pack: tuple[SuiteRun, Path], tmp_path: Path) -> None:
    run, directory = pack
    pdf = PdfReader(print_to_pdf(directory / "report.html", tmp_path / "report.pdf", tmp_path / "profile"))
    pages = [page.extract_text() or "" for page in pdf.pages]
    # Page one: the verdict and what was tested; each major section then starts its own page.
    assert "FAIL" in pages[0] and "Acme PAS" in pages[0] and "What was tested" in pages[0]
    assert "Failures" not in pages[0]
    starts = {
        title: next(i for i, text in enumerate(pages) if title in text)
        for title in ("Failures", "Requirement matrix", "All scenarios")
    }
    assert 0 < starts["Failures"] < starts["Requirement matrix"] < starts["All scenarios"]
    assert 3 <= len(pages) <= 20 * len(run.results["scenarios"])
    text = unicodedata.normalize("NFKC", "".join(pages)).replace("\n", "")  # NFKC: "ﬀ" ligatures back to "ff"
    # A failure's evidence is printed expanded, and printed source links keep their full address.
    failing = run.failed_scenarios[0]
    request_url = json.loads((directory / failing["evidence"][0]).read_text())["exchanges"][0]["request"]["url"]
    assert request_url in text
    source = catalogue()["APPT-CREATE-01"].sources[0].url
    assert source in text
