"""Enrich Allure results while scenarios run: requirement labels and links, and each step's
HTTP exchanges attached to that step (redacted). Active only with ``--alluredir``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import allure
import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from spine_conformance.http import ExchangeLog
from spine_conformance.redact import Redactor
from spine_conformance.reporting.anchors import requirement_anchor, scenario_anchor
from spine_conformance.requirements import INTERFACE_TITLES, catalogue

ATTACHED = pytest.StashKey[int]()


# Allure's severity from the strongest level among a scenario's requirements.
SEVERITY_BY_LEVEL = {"MUST": "critical", "SHOULD": "normal", "MAY": "minor"}
REPORT_FROM_ALLURE = "../report.html"  # an Allure report generated into <run>/allure-report/


def severity(requirement_ids: list[str]) -> str:
    known = [catalogue()[r] for r in requirement_ids if r in catalogue()]
    levels = [r.level for r in known if r.normative]
    for level in SEVERITY_BY_LEVEL:
        if level in levels:
            return SEVERITY_BY_LEVEL[level]
    return "trivial" if known else "normal"  # only advisory requirements: information, never a failure


def interface_title(requirement_ids: list[str], feature_file: str) -> str:
    for requirement in requirement_ids:
        known = catalogue().get(requirement)
        if known is not None and known.interface in INTERFACE_TITLES:
            return INTERFACE_TITLES[known.interface]
    first = feature_file.split("/")[1] if feature_file.count("/") >= 2 else ""
    return INTERFACE_TITLES.get(first, "Other")


class AllureEvidence:
    def __init__(
        self,
        redactor: Redactor,
        exchanges: pytest.StashKey[ExchangeLog],
        scenario: Callable[[pytest.Item], dict[str, Any] | None],
    ) -> None:
        self.redactor = redactor
        self.exchanges = exchanges
        self.scenario = scenario

    @pytest.hookimpl(trylast=True)  # after Allure has opened the test case
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
        info = self.scenario(request.node)
        requirements = [str(mark.args[0]) for mark in request.node.iter_markers("req") if mark.args]
        interactions = [str(mark.args[0]) for mark in request.node.iter_markers("interaction") if mark.args]
        for requirement in requirements:
            allure.dynamic.label("requirement", requirement)
            allure.dynamic.link(
                requirement_anchor(requirement, REPORT_FROM_ALLURE), link_type="requirement", name=requirement
            )
            known = catalogue().get(requirement)
            for source in known.sources if known is not None else ():
                allure.dynamic.link(
                    source.url, link_type="source", name=f"{requirement}: {source.title} ({source.version})"
                )
        if info is not None:
            allure.dynamic.link(
                scenario_anchor(info["id"], REPORT_FROM_ALLURE), link_type="report", name="Evidence in report.html"
            )
        for interaction in interactions:
            allure.dynamic.label("interaction", interaction)
        allure.dynamic.severity(allure.severity_level(severity(requirements)))
        allure.dynamic.parent_suite(interface_title(requirements, info["feature_file"] if info else ""))
        allure.dynamic.suite(", ".join(interactions) or feature.name)
        allure.dynamic.sub_suite(feature.name)
        if not self.redactor.enabled:
            allure.dynamic.label("redaction", "OFF (--no-redact)")

    @pytest.hookimpl(tryfirst=True)  # before Allure closes the step, so attachments land on it
    def pytest_bdd_after_step(
        self,
        request: pytest.FixtureRequest,
        feature: Feature,
        scenario: Scenario,
        step: Step,
        step_func: Callable[..., Any],
        step_func_args: dict[str, Any],
    ) -> None:
        self._attach_new_exchanges(request.node)

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_step_error(
        self,
        request: pytest.FixtureRequest,
        feature: Feature,
        scenario: Scenario,
        step: Step,
        step_func: Callable[..., Any],
        step_func_args: dict[str, Any],
        exception: Exception,
    ) -> None:
        self._attach_new_exchanges(request.node)

    def _attach_new_exchanges(self, node: pytest.Item) -> None:
        log = node.stash.get(self.exchanges, None)
        if log is None:
            return
        start = node.stash.get(ATTACHED, 0)
        for exchange in log.exchanges[start:]:
            body = json.dumps(self.redactor.exchange(exchange.as_dict()), indent=2, ensure_ascii=False)
            allure.attach(body, name=f"HTTP {exchange.label}", attachment_type=allure.attachment_type.JSON)
        node.stash[ATTACHED] = len(log.exchanges)
