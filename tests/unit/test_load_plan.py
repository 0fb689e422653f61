"""The load plan: durations, the configured limits, and the [load] configuration keys."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from spine_conformance.config import ConfigError, config_from_mapping, dump_toml
from spine_conformance.config.model import LoadConfig, TargetConfig
from spine_conformance.load.plan import ConsumerPlan, LoadPlan, parse_duration, plan_problems


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("20s", 20), ("2m", 120), ("1m30s", 90), ("1h", 3600), (" 15S ", 15)]
)
def test_durations_are_read_in_locust_style(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "s", "ten", "1.5m", "-5", "5 minutes", "1s2m"])
def test_anything_else_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def plan(**changes: Any) -> LoadPlan:
    values: dict[str, Any] = {"users": 10, "spawn_rate": 5.0, "duration_s": 60, "workers": 0}
    return LoadPlan(**{**values, **changes})


def test_a_plan_within_the_limits_may_run() -> None:
    assert plan_problems(plan(), LoadConfig()) == []


def test_users_beyond_the_configured_maximum_are_refused_with_the_key_to_raise() -> None:
    (problem,) = plan_problems(plan(users=101), LoadConfig(max_users=100))
    assert "--users 101 exceeds [load] max_users = 100" in problem
    assert "raise max_users" in problem


def test_a_duration_beyond_the_configured_maximum_is_refused() -> None:
    (problem,) = plan_problems(plan(duration_s=601), LoadConfig(max_duration_s=600))
    assert "--duration 601 s exceeds [load] max_duration_s = 600" in problem


def test_every_problem_is_reported_at_once() -> None:
    problems = plan_problems(plan(users=0, spawn_rate=0, duration_s=0, workers=9), LoadConfig(max_workers=8))
    assert len(problems) == 4


def test_a_master_waits_for_remote_workers_and_runs_none_itself() -> None:
    assert plan_problems(plan(mode="master", expect_workers=2), LoadConfig()) == []
    assert plan_problems(plan(mode="master", expect_workers=0), LoadConfig())
    assert plan_problems(plan(mode="master", expect_workers=1, workers=2), LoadConfig())


def test_distribution_and_worker_count() -> None:
    assert not plan().distributed
    assert plan(workers=2).distributed and plan(workers=2).worker_count == 2
    assert plan(mode="master", expect_workers=3).worker_count == 3


def test_the_consumer_plan_travels_as_json() -> None:
    consumer = ConsumerPlan.from_config(LoadConfig(race_share=0.5), duration_s=15)
    assert ConsumerPlan.from_json(consumer.to_json()) == consumer
    assert consumer.race_share == 0.5 and consumer.duration_s == 15


def test_the_load_section_round_trips_with_its_defaults() -> None:
    assert config_from_mapping(tomllib.loads(dump_toml(TargetConfig()))).load == LoadConfig()
    assert LoadConfig().latency_budget_ms == 1000


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("race_share", 1.5),
        ("validate_share", -0.1),
        ("race_size", 1),
        ("latency_percentile", 40),
        ("max_users", 0),
        ("spawn_rate", 0),
        ("synthetic_patients", "yes"),
    ],
)
def test_bad_load_values_are_configuration_errors(key: str, bad: Any) -> None:
    with pytest.raises(ConfigError, match=f"load.{key}"):
        config_from_mapping({"load": {key: bad}})


def test_a_refusal_keeps_the_table_name_in_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from spine_conformance.cli.main import main

    assert main(["load", "--users", "500"]) == 2
    assert "exceeds [load] max_users = 100" in capsys.readouterr().err
