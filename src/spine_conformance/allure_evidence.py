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
from spine_conformance.requirements import catalogue

ATTACHED = pytest.StashKey[int]()


class AllureEvidence:
    def __init__(self, redactor: Redactor, exchanges: pytest.StashKey[ExchangeLog]) -> None:
        self.redactor = redactor
        self.exchanges = exchanges

    @pytest.hookimpl(trylast=True)  # after Allure has opened the test case
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
        for mark in request.node.iter_markers("req"):
            requirement = str(mark.args[0])
            allure.dynamic.label("requirement", requirement)
            allure.dynamic.link(f"report.html#req-{requirement}", link_type="requirement", name=requirement)
            known = catalogue().get(requirement)
            for source in known.sources if known is not None else ():
                allure.dynamic.link(
                    source.url, link_type="source", name=f"{requirement}: {source.title} ({source.version})"
                )
        for mark in request.node.iter_markers("interaction"):
            allure.dynamic.label("interaction", str(mark.args[0]))
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
