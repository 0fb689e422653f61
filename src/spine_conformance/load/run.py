"""One load run from start to verdict: pre-flight, Locust, the state audit, clean-up, results.

The harness never shares a process with Locust; it reads what the Locust processes observed, reads
the provider's state back through its API, judges, and writes the usual results and reports.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic

from spine_conformance.appointments.actions import free_slots, slot_window
from spine_conformance.appointments.client import ProviderClient
from spine_conformance.config import config_fingerprint, dump_toml
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import CheckFailed, NotTestable
from spine_conformance.http import HarnessHttp, TargetUnreachable
from spine_conformance.http.exchange import UnkeptLog
from spine_conformance.load import audit as audits
from spine_conformance.load.aggregate import summarise
from spine_conformance.load.evaluate import INTERRUPTED, Evidence, Outcome, evaluate, verdict
from spine_conformance.load.observations import Observations, read_observations
from spine_conformance.load.outcome import LoadRun, write_load_results
from spine_conformance.load.plan import ConsumerPlan, LoadPlan
from spine_conformance.load.processes import LOCUST_DIR, LocustOutcome, LocustSetup, run_locust
from spine_conformance.load.requirement_map import LOAD_REQUIREMENTS
from spine_conformance.redact import Redactor
from spine_conformance.reporting.render import Rendered
from spine_conformance.requirements import catalogue
from spine_conformance.results.build import RunInfo
from spine_conformance.results.identification import identification

AUDIT_DEADLINE_MIN_S = 60
CLEAN_UP_DEADLINE_S = 60
LOG_TAIL_LINES = 5
EXIT_CODES = {"PASS": 0, "FAIL": 1, "INCOMPLETE": 3, INTERRUPTED: 130}


@dataclass(frozen=True)
class LoadRequest:
    target: TargetConfig
    target_path: Path | None  # the TOML Locust processes read; None: written for the run (embedded demonstrator)
    plan: LoadPlan
    report_dir: Path
    master_bind_host: str = "127.0.0.1"
    master_port: int = 0
    # --run-id, --tester …: laid over the target's [assurance] in the report's identification.
    identification: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    verdict: str
    rendered: Rendered | None
    headline: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]


def provider_client(target: TargetConfig) -> tuple[ProviderClient, HarnessHttp]:
    http = HarnessHttp(target.tls, target.http, UnkeptLog())
    return ProviderClient(http, target), http


def preflight(target: TargetConfig) -> str:
    """Why a load run cannot start against the target ("" when it can): one clear headline."""
    try:
        provider, http = provider_client(target)
    except (OSError, ssl.SSLError) as error:  # e.g. the CA bundle went away since the configuration was read
        return f"the harness cannot set up TLS for the target: {error}"
    try:
        free_slots(provider, target, slot_window(target))
    except TargetUnreachable as error:
        return f"the target could not be reached: {error}"
    except NotTestable as reason:
        return f"nothing can be booked: {reason.reason}"
    except CheckFailed as failed:
        return f"the target's slot search failed before any load: {failed.findings[0].describe()}"
    finally:
        http.close()
    return ""


def run_load(request: LoadRequest, say: Callable[[str], None] = lambda _: None) -> LoadResult:
    started, clock = datetime.now(UTC), monotonic()
    redactor = Redactor.for_target(request.target)
    workdir = Path(tempfile.mkdtemp(prefix="spine-conformance-load-"))
    locust, observations, audit = LocustOutcome(), Observations(), audits.Audit()
    headline, problems, locust_files = "", [], []
    try:
        headline = preflight(request.target)
        if not headline:
            locust, observations = _drive_locust(request, workdir)
        if locust.interrupted:
            say("Interrupted: Locust stopped; reading back and cleaning up what was booked (Ctrl-C again to skip)")
        problems = [*locust.problems(), *_evidence_problems(observations)]
        headline = headline or _headline(observations, locust, problems)
        if observations.created:
            say(f"Reading back the {len(observations.created)} appointments booked, then cancelling any still booked …")
            audit = _audit(request.target, observations, redactor, request.plan.duration_s)
    except KeyboardInterrupt:  # during pre-flight or the audit (run_locust handles its own)
        locust.interrupted = True
    finally:
        # Whatever happened, what Locust wrote into the run folder is redacted and the scratch folder goes.
        locust_files = _keep_locust_artefacts(request.report_dir, workdir, locust, redactor)
        shutil.rmtree(workdir, ignore_errors=True)
    conflict = request.target.spec.slot_conflict_status
    evidence = Evidence(observations, audit, request.target.load, conflict)
    outcomes = _outcomes(evidence, headline)
    levels = {r.id: r.level for r in catalogue().values()}
    result_verdict = verdict(outcomes, levels, [*problems, *([headline] if headline else [])], locust.interrupted)
    if locust.interrupted and not headline:
        headline = "interrupted (Ctrl-C) before the planned end: the evidence is partial"
    load_run = LoadRun(
        run=RunInfo(
            target_name=request.target.name,
            suites=["load"],
            interrupted=result_verdict == INTERRUPTED,
            interrupted_because=headline if result_verdict == INTERRUPTED else "",
            started=started.isoformat(timespec="seconds"),
            duration_s=monotonic() - clock,
            fingerprint="" if request.target_path is None else config_fingerprint(request.target),
            tls_verify=request.target.tls.verify,
            spec=dict(vars(request.target.spec)),
            tags="",
            identification=identification(
                request.target, ["load"], request.identification, embedded=request.target_path is None
            ),
        ),
        plan=request.plan,
        settings=vars(request.target.load),
        outcomes=outcomes,
        verdict=result_verdict,
        headline=headline,
        problems=problems,
        figures=summarise(observations.requests),
        audit=audit,
        races=dict(Counter(race.what for race in observations.races)),
        bookings=len(observations.created),
        locust_files=locust_files,
        process_names=_process_names(observations),
    )
    rendered = write_load_results(request.report_dir, load_run, redactor)
    return LoadResult(rendered.run.results["verdict"]["status"], rendered, headline)


def _drive_locust(request: LoadRequest, workdir: Path) -> tuple[LocustOutcome, Observations]:
    target_path = request.target_path
    if target_path is None:
        target_path = workdir / "target.toml"
        target_path.write_text(dump_toml(request.target), "utf-8")
    setup = LocustSetup(
        workdir=workdir,
        report_dir=request.report_dir,
        target_path=target_path,
        plan=request.plan,
        consumer_plan=ConsumerPlan.from_config(request.target.load, request.plan.duration_s),
        host=request.target.provider.ssp_url or request.target.provider.base_url,
        worker_wait_s=request.target.load.worker_wait_s,
        master_bind_host=request.master_bind_host,
        master_port=request.master_port,
    )
    locust = run_locust(setup)
    return locust, read_observations(setup.observations_path)


def _evidence_problems(observations: Observations) -> list[str]:
    problems = [f"observations from Locust process {p} are incomplete" for p in observations.incomplete_processes()]
    if observations.harness_errors:
        count = len(observations.harness_errors)
        problems.append(f"{count} harness error(s) in the consumers, e.g. {observations.harness_errors[0]}")
    return problems


def _headline(observations: Observations, locust: LocustOutcome, problems: list[str]) -> str:
    requests = observations.requests
    if requests and not any(sample.status for sample in requests):
        return "the target could not be reached during the run: no request got an answer"
    if not requests and not locust.interrupted:
        return "the consumers sent no request" + (f" ({problems[0]})" if problems else "") + _log_tail(locust)
    return ""


def _log_tail(locust: LocustOutcome) -> str:
    for name, path in sorted(locust.logs.items()):
        if path.is_file():
            lines = [line for line in path.read_text("utf-8", errors="replace").splitlines() if line.strip()]
            if lines:
                return f"; Locust {name} said: " + " | ".join(lines[-LOG_TAIL_LINES:])
    return ""


def _audit(target: TargetConfig, observations: Observations, redactor: Redactor, duration_s: int) -> audits.Audit:
    audit = audits.Audit(planned=len(observations.created))
    try:
        provider, http = provider_client(target)
    except (OSError, ssl.SSLError) as error:
        audit.problem = f"the harness could not set up TLS to read the state back: {error}"
        return audit
    try:
        deadline = max(AUDIT_DEADLINE_MIN_S, duration_s)
        audit.read, audit.problem = audits.read_back_all(provider, observations.created, deadline)
        unanswered = sum(1 for current in audit.read.values() if current.status == 0)
        if unanswered and not audit.problem:
            audit.problem = f"{unanswered} of {audit.planned} appointments got no answer when read back"
        audit.findings = audits.state_findings(observations.created, observations.cancels, audit.read)
        audits.keep_evidence(audit, redactor)
        audit.cleaned, audit.left_booked = audits.clean_up(provider, audit.read, CLEAN_UP_DEADLINE_S)
    finally:
        http.close()
    return audit


def _outcomes(evidence: Evidence, headline: str) -> list[Outcome]:
    """With a headline (unreachable, nothing sent) nothing can be judged: every requirement is untested, for
    that one reason, never failed (an unreachable target is an error of the run, not a finding)."""
    if headline:
        return [Outcome(requirement, "not_tested", "") for requirement in LOAD_REQUIREMENTS]
    return evaluate(evidence)


def _keep_locust_artefacts(report_dir: Path, workdir: Path, locust: LocustOutcome, redactor: Redactor) -> list[str]:
    """Locust's CSV and HTML reports and each process's log, in the run folder, passed through the redactor.

    Requests are named by interaction, so these should hold no identifier; redacting them anyway
    means a future change to that naming cannot leak one.
    """
    folder = report_dir / LOCUST_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, log in locust.logs.items():
        if log.is_file():
            shutil.copyfile(log, folder / f"{name}.log")
    kept = []
    for path in sorted(folder.iterdir()):
        if path.is_file():
            path.write_text(redactor.text(path.read_text("utf-8", errors="replace")), "utf-8")
            kept.append(f"{LOCUST_DIR}/{path.name}")
    return kept


def _process_names(observations: Observations) -> dict[str, str]:
    """Locust's worker ids are long random strings: the report calls them worker 1, worker 2, …"""
    processes = sorted(set(observations.received) | set(observations.done))
    if processes == ["local"]:
        return {"local": "locust"}
    return {process: f"worker {index + 1}" for index, process in enumerate(processes)}
