"""``spine-conformance load``: conformance under load, driven by Locust in its own processes.

Modes: a local run (one Locust process, or a master and ``--workers`` local workers), ``--master``
(remote workers join it) and ``--worker --master-host H`` (join a master on another machine). The
harness imports nothing of Locust; see :mod:`spine_conformance.load`.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from spine_conformance.cli.common import (
    EXIT_OK,
    UsageProblem,
    add_identification_options,
    console_error,
    default_report_dir,
    identification_overrides,
    optional_config,
    point_latest,
    prepare_report_dir,
    stdout,
)
from spine_conformance.config import problems_for_suites
from spine_conformance.config.model import LoadConfig, TargetConfig
from spine_conformance.demonstrator.faults import FAULTS
from spine_conformance.load.plan import LoadPlan, parse_duration, plan_problems

EXIT_INCOMPLETE = 3


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "load", help="conformance under load (Locust): racing consumers, state audit, latency"
    )
    parser.add_argument("--config", help="target TOML (default: start the embedded demonstrator)")
    parser.add_argument("--users", type=int, help="simulated consumers (default [load] users)")
    parser.add_argument("--spawn-rate", type=float, help="consumers started per second (default [load] spawn_rate)")
    parser.add_argument("--duration", help="how long, e.g. 20s, 2m, 1m30s (default [load] duration_s)")
    parser.add_argument("--workers", type=int, default=0, help="local Locust worker processes (0 = one process)")
    parser.add_argument("--report-dir", help="output folder (default reports/<UTC timestamp>-load/)")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="NAME", help="embedded demonstrator only: a fault mode"
    )
    add_identification_options(parser)
    distributed = parser.add_argument_group("across machines")
    distributed.add_argument("--master", action="store_true", help="run the Locust master; remote workers join it")
    distributed.add_argument("--expect-workers", type=int, default=1, help="--master: workers to wait for")
    distributed.add_argument("--master-bind-host", default="*", help="--master: interface to listen on")
    distributed.add_argument("--master-port", type=int, default=5557, help="the master's port")
    distributed.add_argument("--worker", action="store_true", help="join a master as a worker (needs --config)")
    distributed.add_argument("--master-host", help="--worker: the master's host name or address")
    parser.set_defaults(handler=load)


def _plan(args: argparse.Namespace, load: LoadConfig) -> LoadPlan:
    problems: list[str] = []
    duration = load.duration_s
    if args.duration is not None:
        try:
            duration = parse_duration(args.duration)
        except ValueError as error:
            problems.append(f"--duration: {error}")
    mode = "master" if args.master else "local"
    plan = LoadPlan(
        users=load.users if args.users is None else args.users,
        spawn_rate=load.spawn_rate if args.spawn_rate is None else args.spawn_rate,
        duration_s=duration,
        workers=args.workers,
        mode=mode,
        expect_workers=args.expect_workers if args.master else 0,
    )
    problems += plan_problems(plan, load)
    if args.master and args.worker:
        problems.append("--master and --worker exclude each other")
    if args.fault and args.config:
        problems.append("--fault applies to the embedded demonstrator only; drop --config or --fault")
    unknown = sorted(set(args.fault) - FAULTS.keys())
    if unknown:  # before the report folder exists: a typo must not leave an empty run folder behind
        problems.append(f"unknown fault(s): {', '.join(unknown)} (spine-conformance serve --fault list)")
    if problems:
        raise UsageProblem("the load run cannot start:\n  " + "\n  ".join(problems))
    return plan


def load(args: argparse.Namespace) -> int:
    if args.worker:
        return _worker(args)
    overrides = identification_overrides(args)
    config = optional_config(args.config)
    if config is not None:
        missing = problems_for_suites(config, ["provider"])
        if missing:
            raise UsageProblem("the configuration cannot drive a load run:\n  " + "\n  ".join(missing))
    plan = _plan(args, (config or TargetConfig()).load)
    report_dir = Path(args.report_dir) if args.report_dir else default_report_dir("-load")
    prepare_report_dir(report_dir)
    # Imported here: the load modules pull in the validator and reporting, which other commands skip.
    from spine_conformance.cli.load_summary import print_load_summary
    from spine_conformance.load.run import LoadRequest, run_load

    with ExitStack() as stack:
        target = config or _start_embedded(stack, args.fault)
        if args.master:
            _print_worker_hint(args, config)
        count = plan.worker_count
        workers = (
            f"a master and {count} worker{'s' if count != 1 else ''}" if plan.distributed else "one Locust process"
        )
        stdout.print(f"Load: {plan.users} consumers for {plan.duration_s} s ({workers}) against {target.name} …")
        request = LoadRequest(
            target=target,
            target_path=Path(args.config).resolve() if args.config else None,
            plan=plan,
            report_dir=report_dir,
            master_bind_host=args.master_bind_host if args.master else "127.0.0.1",
            master_port=args.master_port if args.master else 0,
            identification=overrides,
        )
        result = run_load(request, say=stdout.print)
    if not args.report_dir:
        point_latest(report_dir)
    if result.rendered is not None:
        print_load_summary(result.rendered.run.results, report_dir)
    return result.exit_code


def _start_embedded(stack: ExitStack, faults: list[str]) -> TargetConfig:
    from spine_conformance.demonstrator.embedded import Demonstrator

    demonstrator = Demonstrator(faults=faults)  # fault names were checked with the plan
    stdout.print("Starting the embedded demonstrator (provider, SSP, $validate) on loopback …")
    return stack.enter_context(demonstrator).config


def _print_worker_hint(args: argparse.Namespace, config: TargetConfig | None) -> None:
    where = "this machine's address" if args.master_bind_host in ("*", "0.0.0.0") else args.master_bind_host
    stdout.print(
        f"Master listening on port {args.master_port}; start {args.expect_workers} worker(s) with:\n"
        f"  spine-conformance load --worker --master-host <{where}> --master-port {args.master_port} "
        f"--config {args.config or '<target TOML>'}"
    )
    if config is None:
        stdout.print("(the embedded demonstrator listens on loopback: only workers on this machine can reach it)")


def _worker(args: argparse.Namespace) -> int:
    """One Locust worker process joining a master; the master's harness judges and reports."""
    problems = [] if args.config else ["--worker needs --config (the target TOML, on this machine)"]
    problems += [] if args.master_host else ["--worker needs --master-host"]
    if args.master or args.workers or args.fault or args.report_dir:
        problems.append("--worker takes only --config, --master-host and --master-port")
    if problems:
        raise UsageProblem("the worker cannot start:\n  " + "\n  ".join(problems))
    config = optional_config(args.config)
    assert config is not None
    from spine_conformance.load.plan import ConsumerPlan
    from spine_conformance.load.processes import LocustSetup, run_locust

    load_config = config.load
    plan = LoadPlan(users=1, spawn_rate=1.0, duration_s=load_config.max_duration_s, workers=0, mode="worker")
    with tempfile.TemporaryDirectory(prefix="spine-conformance-worker-") as scratch:
        setup = LocustSetup(
            workdir=Path(scratch),
            report_dir=Path(scratch),
            target_path=Path(args.config).resolve(),
            plan=plan,
            consumer_plan=ConsumerPlan.from_config(load_config, load_config.max_duration_s),
            host=config.provider.base_url,
            worker_wait_s=load_config.worker_wait_s,
            master_host=args.master_host,
            master_port=args.master_port,
        )
        stdout.print(f"Worker joining the master at {args.master_host}:{args.master_port} …")
        outcome = run_locust(setup)
        if outcome.interrupted:
            console_error("interrupted")
            return 130
        problems = outcome.problems()
        if problems:
            console_error("; ".join(problems))
            return EXIT_INCOMPLETE
    stdout.print("Worker done; the master's run folder holds the results.")
    return EXIT_OK
