"""The harness as a pytest plugin: options, target fixtures, tag handling, result records.

Registered by the project's root ``conftest.py``. ``spine-conformance run`` drives pytest with
these options; plain ``pytest features/...`` works too and targets the embedded demonstrator.
"""

from __future__ import annotations

import json
import os
import ssl
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from spine_conformance.allure_evidence import AllureEvidence
from spine_conformance.appointments import actions
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.appointments.ledger import BookingLedger
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.config import ConfigError, load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption.client import RtecClient
from spine_conformance.findings import Evaluation, NotTestable, start_evaluation, stop_evaluation
from spine_conformance.http import ExchangeLog, HarnessHttp, Reachability, tls_context
from spine_conformance.interactions import Interaction
from spine_conformance.redact import Redactor
from spine_conformance.reporting.allure_results import install_redacting_logger, uninstall, write_categories
from spine_conformance.requirements import EDITIONS, catalogue
from spine_conformance.results.collector import RunCollector, scenario_info, scenario_record
from spine_conformance.results.records import ERROR, FAILED, NOT_TESTED, USER_PROPERTY
from spine_conformance.tags import TagExpressionError, parse_tags
from spine_conformance.virtual.services import VirtualServices
from spine_conformance.virtual.session import ConsumerSession

if TYPE_CHECKING:  # imported when needed: most runs never start it
    from spine_conformance.demonstrator.embedded import Demonstrator

# Tags that are plain markers (anything else in a feature file is a --strict-markers error).
PLAIN_TAGS = {
    "journey": "part of the booking journey; books and cleans up after itself",
    "destructive": "changes data on the target",
    "slow": "takes noticeably longer than the rest",
    "concurrency": "sends racing requests in parallel",
    "matrix": "one defect tried on every interaction (a negative matrix); --tags 'not matrix' for a quick run",
}
INTERACTION_TAGS = {interaction.value for interaction in Interaction} | {"exemption_search"}
# @edition:<n>: the scenario belongs to one Booking edition only and runs when the target follows it.
EDITION_TAGS = set(EDITIONS)

COLLECTOR = "spine-conformance-collector"
EVALUATION = pytest.StashKey[Evaluation]()
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
    group.addoption(
        "--identification",
        default="{}",
        help='JSON of run identification overriding [assurance] ({"run_id", "tester", ...; "embedded": bool})',
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "req(id): a requirement this scenario verifies (@req:<ID>)")
    config.addinivalue_line("markers", "interaction(name): the interaction a scenario exercises (@interaction:<name>)")
    config.addinivalue_line("markers", "edition(n): the Booking edition a scenario belongs to (@edition:<n>)")
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
    config.pluginmanager.register(RunCollector(config, config.stash[TARGET], config.stash[REDACTOR]), COLLECTOR)
    if getattr(config.option, "allure_report_dir", None):
        config.pluginmanager.register(
            AllureEvidence(config.stash[REDACTOR], EXCHANGES, lambda item: scenario_info(item, item_tags)),
            "spine-conformance-allure",
        )
    expression = config.getoption("--tags")
    if expression:
        try:
            parse_tags(expression)
        except TagExpressionError as error:
            raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(trylast=True)  # after allure's own pytest_configure registered its file writer
def pytest_sessionstart(session: pytest.Session) -> None:
    logger = install_redacting_logger(session.config.stash[REDACTOR])
    if logger is not None:
        session.config.add_cleanup(lambda: uninstall(logger))


@pytest.hookimpl(tryfirst=True)  # before pytest-bdd's own, whichever plugin was registered first
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
    if kind == "edition" and value:
        if value not in EDITION_TAGS:
            raise pytest.UsageError(f"@{tag}: unknown Booking edition (known: {', '.join(sorted(EDITION_TAGS))})")
        pytest.mark.edition(value)(function)
        return True
    return None


def item_tags(item: pytest.Item) -> list[str]:
    tags: list[str] = []
    for mark in item.iter_markers():
        if mark.name in ("req", "interaction", "edition") and mark.args:
            tags.append(f"{mark.name}:{mark.args[0]}")
        elif mark.name in PLAIN_TAGS:
            tags.append(mark.name)
    return sorted(set(tags))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A scenario of one Booking edition runs only against a target following that edition.
    edition = (config.stash.get(TARGET, None) or TargetConfig()).spec.edition
    other_edition = [
        item for item in items if any(mark.args and mark.args[0] != edition for mark in item.iter_markers("edition"))
    ]
    if other_edition:
        config.hook.pytest_deselected(items=other_edition)
        items[:] = [item for item in items if item not in other_edition]
    expression = config.getoption("--tags")
    if expression:
        selected_by = parse_tags(expression)
        keep = [item for item in items if selected_by(item_tags(item))]
        dropped = [item for item in items if item not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
    collector = config.pluginmanager.get_plugin(COLLECTOR)
    if isinstance(collector, RunCollector):
        collector.plan([info for item in items if (info := scenario_info(item, item_tags)) is not None])


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def embedded_demonstrator(request: pytest.FixtureRequest) -> Iterator[Demonstrator | None]:
    """The embedded demonstrator, started when there is no target to test, or when a consumer
    target names no provider (the virtual SSP then forwards the consumer's requests to it)."""
    configured = request.config.stash.get(TARGET, None)
    lacks_provider = configured is not None and not configured.provider.base_url
    if configured is not None and not (lacks_provider and _runs_consumer_scenarios(request.session)):
        yield None
        return
    from spine_conformance.demonstrator.embedded import Demonstrator

    with Demonstrator() as demonstrator:
        yield demonstrator


def _runs_consumer_scenarios(session: pytest.Session) -> bool:
    return any("consumer" in Path(str(item.path)).parts for item in session.items)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest, embedded_demonstrator: Demonstrator | None) -> TargetConfig:
    """The configured target (with the embedded provider if it names none), or the demonstrator."""
    configured = request.config.stash.get(TARGET, None)
    if embedded_demonstrator is None:
        assert configured is not None  # embedded_demonstrator starts whenever there is no target
        return configured
    if configured is None:
        return embedded_demonstrator.config
    return replace(configured, provider=embedded_demonstrator.config.provider)


@pytest.fixture(scope="session")
def tls_trust(
    request: pytest.FixtureRequest, target: TargetConfig, embedded_demonstrator: Demonstrator | None
) -> ssl.SSLContext:
    context = tls_context(target.tls)
    if embedded_demonstrator is not None and request.config.stash.get(TARGET, None) is not None:
        # A configured consumer target's own trust, plus the run CA of the provider started for it.
        context.load_verify_locations(cafile=str(embedded_demonstrator.certificates.ca_path))
    return context


@pytest.fixture(scope="session")
def reachability() -> Reachability:
    """Endpoints found unreachable in this session: later requests to them fail at once."""
    return Reachability()


@pytest.fixture
def exchange_log(request: pytest.FixtureRequest) -> ExchangeLog:
    log = ExchangeLog()
    request.node.stash[EXCHANGES] = log
    return log


@pytest.fixture
def http(
    target: TargetConfig, tls_trust: ssl.SSLContext, exchange_log: ExchangeLog, reachability: Reachability
) -> Iterator[HarnessHttp]:
    client = HarnessHttp(target.tls, target.http, exchange_log, context=tls_trust, reachability=reachability)
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
def virtual_services(target: TargetConfig, tls_trust: ssl.SSLContext) -> Iterator[VirtualServices]:
    """The virtual SSP and RTEC a consumer under test is pointed at, for the whole session."""
    services = VirtualServices(target, provider_trust=tls_trust).start()
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
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Set-up fixtures can judge requirements too (a booking a scenario needs), so start here.
    item.stash[EVALUATION] = start_evaluation()


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    finished = report.when == "call" or (report.when == "setup" and report.outcome != "passed")
    info = scenario_info(item, item_tags) if finished else None
    if info is None:
        if report.when == "teardown":
            stop_evaluation()
        return report
    log = item.stash.get(EXCHANGES, None)
    record = scenario_record(
        info,
        call,
        report,
        item.stash.get(EVALUATION, None),
        item.stash.get(FAILED_STEP, ""),
        log.as_list() if log is not None else [],
    )
    if log is not None:  # the record holds bounded excerpts; the item lives on until the session ends
        log.exchanges.clear()
    redactor = item.config.stash[REDACTOR]
    if record.status == NOT_TESTED:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), 0, f"Not tested: {record.message}")
    elif record.status in (FAILED, ERROR):
        report.longrepr = redactor.text(
            record.message if record.findings else f"{record.message}\n\n{report.longreprtext}"
        )
    report.user_properties.append((USER_PROPERTY, json.dumps(record.as_dict())))
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    allure_dir = getattr(session.config.option, "allure_report_dir", None)
    if allure_dir and Path(allure_dir).is_dir() and not hasattr(session.config, "workerinput"):
        write_categories(Path(allure_dir))
