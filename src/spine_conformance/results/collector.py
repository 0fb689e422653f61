"""From pytest items and reports to scenario records, and the run's results once it ends.

Every scenario selected for a run is *planned* at collection time; when the run ends, each
planned scenario has a record: what it produced, or (an interrupted run) that it never ran.
So results.json always accounts for everything selected, and an interrupted run says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from spine_conformance import interruption
from spine_conformance.config import config_fingerprint
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import ADVISORY, CheckFailed, Evaluation, HarnessError, NotTestable
from spine_conformance.redact import Redactor
from spine_conformance.requirements import is_normative
from spine_conformance.results.build import RunInfo
from spine_conformance.results.identification import identification
from spine_conformance.results.records import (
    ERROR,
    FAILED,
    NOT_RUN,
    NOT_TESTED,
    PASSED,
    SKIPPED,
    USER_PROPERTY,
    ScenarioRecord,
    scenario_id,
)
from spine_conformance.results.write import slim, write_evidence, write_results

PLANNED_FILE = ".planned-{worker}.json"


def scenario_info(item: pytest.Item, tags: Callable[[pytest.Item], list[str]]) -> dict[str, Any] | None:
    """Who a Gherkin scenario item is (id, names, tags, requirements), or None for other tests."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.id if callspec is not None else ""
    context = callspec.params.get("_pytest_bdd_example", {}) if callspec is not None else {}
    name = template.render(context).name
    feature_file = _relative_feature(template.feature.filename)
    return {
        "id": scenario_id(feature_file, name, example),
        "feature": template.feature.name,
        "feature_file": feature_file,
        "name": name + (f" [{example}]" if example else ""),
        "tags": tags(item),
        "requirements": [m.args[0] for m in item.iter_markers("req") if m.args],
    }


def _relative_feature(filename: str) -> str:
    parts = Path(filename).parts
    return str(Path(*parts[parts.index("features") :])) if "features" in parts else Path(filename).name


def scenario_record(
    info: dict[str, Any],
    call: pytest.CallInfo[None],
    report: pytest.TestReport,
    evaluation: Evaluation | None,
    failed_step: str,
    exchanges: list[dict[str, Any]],
) -> ScenarioRecord:
    """What one scenario produced, from the way its test ended."""
    findings: list[dict[str, str]] = []
    advisories = [finding.as_dict() for finding in evaluation.advisories] if evaluation is not None else []
    error = cause = ""
    excinfo = call.excinfo
    where = f"{failed_step}: " if failed_step else ""
    if report.passed:
        status, message = PASSED, ""
    elif excinfo is not None and isinstance(excinfo.value, NotTestable):
        status, message = NOT_TESTED, excinfo.value.reason
    elif excinfo is not None and isinstance(excinfo.value, CheckFailed):
        # Findings of requirements no published source makes normative (SHOULD, MAY, advisory) never fail.
        normative = [f for f in excinfo.value.findings if is_normative(f.requirement)]
        demoted = [replace(f, severity=ADVISORY) for f in excinfo.value.findings if f not in normative]
        advisories += [f.as_dict() for f in demoted]
        findings = [finding.as_dict() for finding in normative]
        shown = normative or demoted
        status = FAILED if normative else PASSED
        message = where + "; ".join(finding.describe() for finding in shown)
    elif excinfo is not None and isinstance(excinfo.value, HarnessError):
        status, error, cause = ERROR, excinfo.value.message, excinfo.value.cause
        message = where + error
    elif report.skipped:
        status, message = SKIPPED, _skip_reason(report)
    else:
        # Anything else is the harness's own defect (a bug in a step, a missing step definition):
        # the target is not to blame, so it is an error of the run, never a failure.
        detail = excinfo.exconly() if excinfo is not None else report.longreprtext.strip().splitlines()[-1:]
        error = detail if isinstance(detail, str) else " ".join(detail)
        status, cause = ERROR, "a defect in the harness (see the scenario's message)"
        message = where + error
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
        exchanges=exchanges,
        error=error,
        cause=cause,
        evaluated=evaluation.evaluated if evaluation is not None else [],
        advisories=advisories,
    )


def target_conditions(target: TargetConfig) -> tuple[str, ...]:
    """The catalogue conditions (requirements.CONDITIONS) the target meets."""
    return ("mutual-tls",) if target.tls.client_cert else ()


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    return report.longreprtext


def unfinished_record(info: dict[str, Any], interrupted: bool) -> ScenarioRecord:
    """A planned scenario that produced nothing: the run was interrupted, or its worker died."""
    if interrupted:
        return ScenarioRecord(**info, status=NOT_TESTED, duration_s=0.0, message=NOT_RUN)
    message = "the scenario produced no result (its pytest worker stopped unexpectedly)"
    return ScenarioRecord(**info, status=ERROR, duration_s=0.0, message=message, error=message, cause=message)


class RunCollector:
    """Gathers scenario records (from this process or xdist workers) and writes the run once."""

    def __init__(self, config: pytest.Config, target: TargetConfig | None, redactor: Redactor) -> None:
        self.config = config
        self.target = target
        self.redactor = redactor
        self.records: list[ScenarioRecord] = []
        self.evidence_paths: dict[str, str] = {}
        self.planned: dict[str, dict[str, Any]] = {}
        self.interrupted = False
        self.began = time.time()
        self.started = datetime.now(UTC).isoformat(timespec="seconds")

    @property
    def report_dir(self) -> Path | None:
        value = self.config.getoption("--report-dir")
        return Path(value) if value else None

    def plan(self, infos: list[dict[str, Any]]) -> None:
        """The scenarios selected to run (after tag selection)."""
        self.planned = {info["id"]: info for info in infos}
        worker = getattr(self.config, "workerinput", {}).get("workerid")
        if worker is not None and self.report_dir is not None:
            # xdist: the controller never collects, so each worker leaves the plan for it to read.
            path = self.report_dir / PLANNED_FILE.format(worker=worker)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(list(self.planned.values())), "utf-8")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == USER_PROPERTY and isinstance(value, str):
                self.keep(ScenarioRecord.from_dict(json.loads(value)))

    def keep(self, record: ScenarioRecord) -> None:
        """Write the scenario's evidence now; keep only what results.json needs."""
        report_dir = self.report_dir
        if report_dir is not None and not hasattr(self.config, "workerinput"):
            path = write_evidence(report_dir, record, self.redactor)
            if path is not None:
                self.evidence_paths[record.id] = path
        self.records.append(slim(record, self.redactor))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.interrupted = True

    def _read_worker_plans(self) -> None:
        if self.report_dir is None:
            return
        for path in sorted(self.report_dir.glob(PLANNED_FILE.format(worker="*"))):
            for info in json.loads(path.read_text("utf-8")):
                self.planned.setdefault(info["id"], info)
            path.unlink()

    def all_records(self) -> list[ScenarioRecord]:
        """Every planned scenario's record, with those that never produced one accounted for."""
        self._read_worker_plans()
        seen = {record.id for record in self.records}
        missing = [unfinished_record(info, self.interrupted) for key, info in self.planned.items() if key not in seen]
        return self.records + [slim(record, self.redactor) for record in missing]

    def identification(self, target: TargetConfig) -> dict[str, Any]:
        given = json.loads(self.config.getoption("--identification") or "{}")
        suites = [s for s in self.config.getoption("--suites").split(",") if s]
        return identification(target, suites, given, embedded=bool(given.get("embedded")))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        config = self.config
        if self.report_dir is None or hasattr(config, "workerinput"):
            return  # xdist workers hand their records to the controller, which writes once
        target = self.target or TargetConfig(name="Embedded demonstrator")
        run = RunInfo(
            target_name=target.name,
            suites=[s for s in config.getoption("--suites").split(",") if s],
            started=self.started,
            duration_s=time.time() - self.began,
            fingerprint=config_fingerprint(target) if self.target else "",
            tls_verify=target.tls.verify,
            spec=asdict(target.spec),
            tags=config.getoption("--tags"),
            redacted=not config.getoption("--no-redact"),
            interrupted=self.interrupted,
            interrupted_because=interruption.reason() if self.interrupted else "",
            profiles=target.spec.profiles,
            identification=self.identification(target),
            conditions=target_conditions(target),
        )
        self.report_dir.mkdir(parents=True, exist_ok=True)
        write_results(self.report_dir, self.all_records(), run, self.evidence_paths)
