"""Throughput and percentiles of a load run, from request samples alone."""

from __future__ import annotations

import pytest

from spine_conformance.load.aggregate import percentile, summarise
from spine_conformance.load.observations import RequestSample

T0 = 1_800_000_000.0


def sample(
    name: str = "search_slot",
    at: float = 0.0,
    ms: float = 10.0,
    status: int = 200,
    failed: tuple[str, ...] = (),
    process: str = "w1",
    validated: bool = False,
) -> RequestSample:
    return RequestSample(process, name, T0 + at, ms, status, failed, validated)


@pytest.mark.parametrize(("fraction", "expected"), [(0.5, 10.0), (0.95, 19.0), (0.99, 20.0), (1.0, 20.0), (0.0, 1.0)])
def test_percentile_is_nearest_rank(fraction: float, expected: float) -> None:
    assert percentile([float(v) for v in range(1, 21)], fraction) == expected


def test_percentile_of_nothing_is_zero() -> None:
    assert percentile([], 0.95) == 0.0


def test_no_samples_gives_empty_figures() -> None:
    figures = summarise([])
    assert figures.requests == 0 and figures.rps == 0 and figures.timeline == []


def test_figures_by_interaction() -> None:
    samples = [sample(ms=float(ms), at=ms / 100) for ms in range(1, 101)]
    samples += [sample("create_appointment", at=1.0, ms=50.0, status=201, failed=("LOAD-07",))]
    figures = summarise(samples)
    by_name = {row.name: row for row in figures.interactions}
    assert by_name["search_slot"].requests == 100
    assert (by_name["search_slot"].p50_ms, by_name["search_slot"].p95_ms) == (50.0, 95.0)
    assert (by_name["search_slot"].p99_ms, by_name["search_slot"].max_ms) == (99.0, 100.0)
    assert by_name["create_appointment"].failures == 1
    assert figures.failures == 1
    assert figures.failures_by_requirement == {"LOAD-07": 1}


def test_throughput_over_the_span_from_first_request_to_last_answer() -> None:
    samples = [sample(at=t * 0.1, ms=0.0) for t in range(40)] + [sample(at=3.9, ms=100.0)]
    figures = summarise(samples)
    assert figures.span_s == pytest.approx(4.0)
    assert figures.rps == pytest.approx(41 / 4.0, abs=0.01)


def test_timeline_has_every_second_even_quiet_ones() -> None:
    samples = [sample(at=0.2, ms=5), sample(at=0.7, ms=15, failed=("LOAD-06",), status=0), sample(at=3.5, ms=30)]
    timeline = summarise(samples).timeline
    assert [second.t for second in timeline] == [0, 1, 2, 3]
    assert [second.requests for second in timeline] == [2, 0, 0, 1]
    assert timeline[0].failures == 1
    assert timeline[0].p95_ms == 15 and timeline[3].p50_ms == 30


def test_throughput_by_process_and_what_was_answered_and_validated() -> None:
    samples = [sample(process="w1", at=0), sample(process="w1", at=1), sample(process="w2", at=2, ms=0)]
    samples.append(sample(process="w2", at=2, status=0, validated=False))
    samples.append(sample(process="w2", at=2, validated=True))
    figures = summarise(samples)
    assert set(figures.rps_by_process) == {"w1", "w2"}
    assert figures.rps_by_process["w2"] > figures.rps_by_process["w1"]
    assert figures.answered == 4 and figures.validated == 1
