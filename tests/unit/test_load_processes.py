"""The Locust command lines a load run starts, and the deadline that bounds them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from spine_conformance.config.model import LoadConfig
from spine_conformance.load.plan import ConsumerPlan, LoadPlan
from spine_conformance.load.processes import LocustOutcome, LocustSetup, commands
from spine_conformance.load.wiring import PLAN_OPTION, locustfile_path


def setup(tmp_path: Path, **plan: Any) -> LocustSetup:
    load_plan = replace(LoadPlan(users=6, spawn_rate=3.0, duration_s=15, workers=0), **plan)
    return LocustSetup(
        workdir=tmp_path,
        report_dir=tmp_path / "report",
        target_path=tmp_path / "target.toml",
        plan=load_plan,
        consumer_plan=ConsumerPlan.from_config(LoadConfig(), load_plan.duration_s),
        host="https://ssp.example/",
        worker_wait_s=60,
    )


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_locustfile_ships_inside_the_package() -> None:
    assert locustfile_path().is_file()


def test_a_single_process_run_is_headless_with_reports_in_the_run_folder(tmp_path: Path) -> None:
    (argv,) = commands(setup(tmp_path), 0).values()
    assert argv[1:3] == ["-m", "locust"]
    assert "--headless" in argv and "--master" not in argv
    assert (option(argv, "--users"), option(argv, "--spawn-rate")) == ("6", "3")
    assert option(argv, "--run-time") == "45s"  # the planned 15 s plus Locust's backstop; the master ends it first
    assert option(argv, "--csv") == str(tmp_path / "report" / "locust" / "stats")
    assert option(argv, "--html") == str(tmp_path / "report" / "locust" / "report.html")
    assert json.loads(option(argv, PLAN_OPTION))["duration_s"] == 15


def test_local_workers_join_a_master_on_loopback(tmp_path: Path) -> None:
    argvs = commands(setup(tmp_path, workers=2), 5599)
    assert list(argvs) == ["master", "worker-1", "worker-2"]
    master = argvs["master"]
    assert (option(master, "--master-bind-host"), option(master, "--master-bind-port")) == ("127.0.0.1", "5599")
    assert option(master, "--expect-workers") == "2"
    worker = argvs["worker-1"]
    assert "--worker" in worker and option(worker, "--master-port") == "5599"
    assert "--users" not in worker and PLAN_OPTION not in worker  # the master forwards the plan


def test_a_master_for_remote_workers_runs_none_itself(tmp_path: Path) -> None:
    argvs = commands(setup(tmp_path, mode="master", expect_workers=3), 5557)
    assert list(argvs) == ["master"]
    assert option(argvs["master"], "--expect-workers") == "3"


def test_a_worker_joins_the_given_master(tmp_path: Path) -> None:
    worker_setup = replace(setup(tmp_path, mode="worker"), master_host="loadmaster.example")
    (argv,) = commands(worker_setup, 5557).values()
    assert option(argv, "--master-host") == "loadmaster.example" and "--headless" not in argv


def test_the_deadline_covers_start_up_waiting_for_workers_and_stopping(tmp_path: Path) -> None:
    single, distributed = setup(tmp_path), setup(tmp_path, workers=2)
    assert single.deadline_s() > 15
    assert distributed.deadline_s() == single.deadline_s() + 60


def test_problems_name_the_process_and_its_log_unless_interrupted() -> None:
    outcome = LocustOutcome(exit_codes={"master": 0, "worker-1": 2}, overran=True)
    assert outcome.problems() == [
        "Locust did not stop by the run's deadline and was stopped",
        "Locust worker-1 exited with code 2 (see locust/worker-1.log)",
    ]
    assert LocustOutcome(exit_codes={"master": -15}, interrupted=True).problems() == []
