"""The harness as a pytest plugin: options, target fixtures, tag handling, result records.

Registered by the project's root ``conftest.py``. ``spine-conformance run`` drives pytest with
these options; plain ``pytest features/...`` works too and targets the embedded demonstrator.
"""

from __future__ import annotations

import json
import os
import ssl
import time
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from spine_conformance.allure_evidence import AllureEvidence
from spine_conformance.appointments import actions
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config import ConfigError, config_fingerprint, load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption.client import RtecClient
from spine_conformance.findings import CheckFailed, NotTestable
from spine_conformance.http import ExchangeLog, HarnessHttp, tls_context
from spine_conformance.interactions import Interaction
from spine_conformance.redact import Redactor
from spine_conformance.reporting.allure_results import sanitise
from spine_conformance.requirements import catalogue
from spine_conformance.results.build import RunInfo
from spine_conformance.results.records import (
    FAILED,
    NOT_TESTED,
    PASSED,
    SKIPPED,
    USER_PROPERTY,
    ScenarioRecord,
    scenario_id,
)
from spine_conformance.results.write import write_run
from spine_conformance.tags import TagExpressionError, parse_tags
from spine_conformance.virtual.services import VirtualServices
from spine_conformance.virtual.session import ConsumerSession

# Tags that are plain markers (anything else in a feature file is a --strict-markers error).
PLAIN_TAGS = {
    "journey": "part of the booking journey; books and cleans up after itself",
    "destructive": "changes data on the target",
    "slow": "takes noticeably longer than the rest",
    "concurrency": "sends racing requests in parallel",
}
INTERACTION_TAGS = {interaction.value for interaction in Interaction} | {"exemption_search"}

SCENARIO = pytest.StashKey[dict[str, Any]]()
EXCHANGES = pytest.StashKey[ExchangeLog]()
FAILED_STEP = pytest.StashKey[str]()
TARGET = pytest.StashKey[TargetConfig | None]()
REDACTOR = pytest.StashKey[Redactor]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("spine-conformance")
    group.addoption(
        "--target-config",
        default=os.environ.get("SPINE_CONFORMANCE_CONFIG", ""),
        help="target TOML; none = start the embedded demonstrator",
    )
    group.addoption("--report-dir", default="", help="write results.json and evidence here")
    group.addoption("--tags", default="", help="tag expression selecting scenarios, e.g. 'req:CONC-* and not slow'")
    group.addoption("--suites", default="", help="suite names recorded in results.json")
    group.addoption("--no-redact", action="store_true", help="do not redact tokens and patient data")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "req(id): a requirement this scenario verifies (@req:<ID>)")
    config.addinivalue_line("markers", "interaction(name): the interaction a scenario exercises (@interaction:<name>)")
    for name, text in PLAIN_TAGS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    path = config.getoption("--target-config")
    try:
        config.stash[TARGET] = load_config(path) if path else None
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
    # The embedded demonstrator uses the default test patient, so that is what gets masked.
    config.stash[REDACTOR] = Redactor.for_target(
        config.stash[TARGET] or TargetConfig(), enabled=not config.getoption("--no-redact")
    )
    config.pluginmanager.register(RunCollector(config), "spine-conformance-collector")
    if getattr(config.option, "allure_report_dir", None):
        config.pluginmanager.register(AllureEvidence(config.stash[REDACTOR], EXCHANGES), "spine-conformance-allure")
    expression = config.getoption("--tags")
    if expression:
        try:
            parse_tags(expression)
        except TagExpressionError as error:
            raise pytest.UsageError(str(error)) from None


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    kind, _, value = tag.partition(":")
    if kind == "req" and value:
        if value not in catalogue():
            raise pytest.UsageError(f"@{tag}: {value} is not in the requirement catalogue")
        pytest.mark.req(value)(function)
        return True
    if kind == "interaction" and value:
        if value not in INTERACTION_TAGS:
            raise pytest.UsageError(f"@{tag}: unknown interaction (known: {', '.join(sorted(INTERACTION_TAGS))})")
        pytest.mark.interaction(value)(function)
        return True
    return None


def item_tags(item: pytest.Item) -> list[str]:
    tags: list[str] = []
    for mark in item.iter_markers():
        if mark.name in ("req", "interaction") and mark.args:
            tags.append(f"{mark.name}:{mark.args[0]}")
        elif mark.name in PLAIN_TAGS:
            tags.append(mark.name)
    return sorted(set(tags))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("--tags")
    if not expression:
        return
    selected_by = parse_tags(expression)
    keep = [item for item in items if selected_by(item_tags(item))]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[TargetConfig]:
    """The configured target, or the embedded demonstrator started for this session."""
    configured = request.config.stash.get(TARGET, None)
    if configured is not None:
        yield configured
        return
    from spine_conformance.demonstrator.embedded import Demonstrator

    with Demonstrator() as demonstrator:
        yield demonstrator.config


@pytest.fixture(scope="session")
def tls_trust(target: TargetConfig) -> ssl.SSLContext:
    return tls_context(target.tls)


@pytest.fixture
def exchange_log(request: pytest.FixtureRequest) -> ExchangeLog:
    log = ExchangeLog()
    request.node.stash[EXCHANGES] = log
    return log


@pytest.fixture
def http(target: TargetConfig, tls_trust: ssl.SSLContext, exchange_log: ExchangeLog) -> Iterator[HarnessHttp]:
    client = HarnessHttp(target.tls, target.http, exchange_log, context=tls_trust)
    yield client
    client.close()


@pytest.fixture
def provider(http: HarnessHttp, target: TargetConfig) -> ProviderClient:
    if not target.provider.base_url:
        raise NotTestable("no [provider] base_url is configured")
    return ProviderClient(http, target)


@pytest.fixture
def rtec(http: HarnessHttp, target: TargetConfig) -> RtecClient:
    if not target.exemption.url:
        raise NotTestable("no [exemption] url is configured")
    return RtecClient(http, target)


@pytest.fixture(scope="session")
def virtual_services(target: TargetConfig) -> Iterator[VirtualServices]:
    """The virtual SSP and RTEC a consumer under test is pointed at, for the whole session."""
    services = VirtualServices(target).start()
    yield services
    services.stop()


@pytest.fixture
def consumer_session(
    target: TargetConfig, virtual_services: VirtualServices, exchange_log: ExchangeLog
) -> ConsumerSession:
    virtual_services.rtec.answer_with("found")  # each scenario starts from a well-behaved service
    return ConsumerSession(target, virtual_services, exchange_log)


@pytest.fixture
def booking_ledger(provider: ProviderClient) -> Iterator[BookingLedger]:
    """Appointments a scenario booked; cancelled afterwards so a shared target is left as found."""
    ledger = BookingLedger()
    yield ledger
    left = ledger.cancel_all(provider)
    if left:  # never silently: a shared target keeps these bookings
        warnings.warn(f"could not cancel appointment(s) booked by this scenario: {', '.join(left)}", stacklevel=1)


@pytest.fixture
def slot_window(target: TargetConfig) -> SlotWindow:
    return actions.slot_window(target)


# -- scenario records -------------------------------------------------------------------------
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    node = request.node
    callspec = getattr(node, "callspec", None)
    example = callspec.id if callspec is not None else ""
    feature_file = _relative_feature(feature.filename)
    node.stash[SCENARIO] = {
        "id": scenario_id(feature_file, scenario.name, example),
        "feature": feature.name,
        "feature_file": feature_file,
        "name": scenario.name + (f" [{example}]" if example else ""),
        "tags": item_tags(node),
        "requirements": [m.args[0] for m in node.iter_markers("req") if m.args],
    }


def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., object],
    step_func_args: dict[str, Any],
    exception: Exception,
) -> None:
    request.node.stash[FAILED_STEP] = f"{step.keyword} {step.name}"


def _relative_feature(filename: str) -> str:
    path = Path(filename)
    parts = path.parts
    return str(Path(*parts[parts.index("features") :])) if "features" in parts else path.name


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    info = item.stash.get(SCENARIO, None)
    finished = report.when == "call" or (report.when == "setup" and report.outcome != "passed")
    if info is None and report.when == "setup" and report.outcome != "passed" and item.get_closest_marker("req"):
        info = {
            "id": scenario_id(item.nodeid, item.name, ""),
            "feature": "",
            "feature_file": str(item.path.name),
            "name": item.name,
            "tags": item_tags(item),
            "requirements": [m.args[0] for m in item.iter_markers("req") if m.args],
        }
    if info is None or not finished:
        return report
    record = _record(item, call, report, info)
    redactor = item.config.stash[REDACTOR]
    if record.status == NOT_TESTED:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), 0, f"Not tested: {record.message}")
    elif record.status == FAILED:
        report.longrepr = redactor.text(
            record.message if record.findings else f"{record.message}\n\n{report.longreprtext}"
        )
    report.user_properties.append((USER_PROPERTY, json.dumps(record.as_dict())))
    return report


def _record(
    item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport, info: dict[str, Any]
) -> ScenarioRecord:
    findings: list[dict[str, str]] = []
    error = ""
    excinfo = call.excinfo
    step = item.stash.get(FAILED_STEP, "")
    where = f"{step}: " if step else ""
    if report.passed:
        status, message = PASSED, ""
    elif excinfo is not None and isinstance(excinfo.value, NotTestable):
        status, message = NOT_TESTED, excinfo.value.reason
    elif report.skipped:
        status, message = SKIPPED, _skip_reason(report)
    elif excinfo is not None and isinstance(excinfo.value, CheckFailed):
        status = FAILED
        findings = [finding.as_dict() for finding in excinfo.value.findings]
        message = where + "; ".join(finding.describe() for finding in excinfo.value.findings)
    else:
        status = FAILED
        detail = excinfo.exconly() if excinfo is not None else report.longreprtext.strip().splitlines()[-1:]
        error = detail if isinstance(detail, str) else " ".join(detail)
        message = where + error
    log = item.stash.get(EXCHANGES, None)
    return ScenarioRecord(
        id=info["id"],
        feature=info["feature"],
        feature_file=info["feature_file"],
        name=info["name"],
        tags=info["tags"],
        status=status,
        duration_s=call.duration if report.when == "call" else 0.0,
        message=message,
        requirements=info["requirements"],
        findings=findings,
        exchanges=log.as_list() if log is not None else [],
        error=error,
    )


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    return report.longreprtext


class RunCollector:
    """Gathers scenario records (from this process or xdist workers) and writes the run once."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: list[ScenarioRecord] = []
        self.began = time.time()
        self.started = datetime.now(UTC).isoformat(timespec="seconds")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == USER_PROPERTY and isinstance(value, str):
                self.records.append(ScenarioRecord.from_dict(json.loads(value)))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = self.config
        report_dir = config.getoption("--report-dir")
        if not report_dir or hasattr(config, "workerinput"):
            return  # xdist workers hand their records to the controller, which writes once
        configured = config.stash[TARGET]
        target = configured or TargetConfig(name="Embedded demonstrator")
        run = RunInfo(
            target_name=target.name,
            suites=[s for s in config.getoption("--suites").split(",") if s],
            started=self.started,
            duration_s=time.time() - self.began,
            fingerprint=config_fingerprint(target) if configured else "",
            tls_verify=target.tls.verify,
            spec=asdict(target.spec),
            tags=config.getoption("--tags"),
            redacted=not config.getoption("--no-redact"),
        )
        write_run(Path(report_dir), self.records, run, config.stash[REDACTOR])
        allure_dir = getattr(config.option, "allure_report_dir", None)
        if allure_dir and Path(allure_dir).is_dir():
            sanitise(Path(allure_dir), config.stash[REDACTOR])
