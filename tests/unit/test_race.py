"""race(): every send runs at once, on its own thread, and the results come back in index order."""

from __future__ import annotations

import threading

import httpx
import pytest

from spine_conformance.appointments.race import race
from spine_conformance.http import Exchange, HttpResponse

WAIT_S = 5.0  # generous: only reached when race() fails to run the sends concurrently


def response(index: int) -> HttpResponse:
    url = f"https://p.example/STU3/1/Appointment/a{index}"
    exchange = Exchange(f"send {index}", "PUT", url, [], b"", 0.0, status=200)
    return HttpResponse(200 + index, httpx.Headers(), str(index).encode(), url, exchange)


class Contenders:
    """A fake send: counts sends in flight and holds each until all ``count`` are in flight at once.

    Each send also finishes only after the next one has, so they complete in reverse order.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.all_in_flight = threading.Event()
        self.finished = [threading.Event() for _ in range(count)]
        self.threads: dict[int, threading.Thread] = {}

    def send(self, index: int) -> HttpResponse:
        with self.lock:
            self.threads[index] = threading.current_thread()
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            if self.in_flight == self.count:
                self.all_in_flight.set()
        if not self.all_in_flight.wait(WAIT_S):
            raise AssertionError(f"send {index}: only {self.most_in_flight} of {self.count} sends were ever in flight")
        if index + 1 < self.count and not self.finished[index + 1].wait(WAIT_S):
            raise AssertionError(f"send {index + 1} never finished")
        with self.lock:
            self.in_flight -= 1
        self.finished[index].set()
        return response(index)


@pytest.mark.parametrize("count", [1, 2, 8])
def test_race_sends_concurrently_and_returns_in_order(count: int) -> None:
    contenders = Contenders(count)
    results = race(count, contenders.send)

    assert contenders.most_in_flight == count
    assert [r.status for r in results] == [200 + i for i in range(count)]
    assert [r.body for r in results] == [str(i).encode() for i in range(count)]
    assert sorted(contenders.threads) == list(range(count))
    threads = set(contenders.threads.values())
    assert len(threads) == count
    assert threading.current_thread() not in threads
    assert all(thread.name.startswith("race") for thread in threads)
    assert contenders.in_flight == 0


def test_race_propagates_a_failing_send() -> None:
    def send(index: int) -> HttpResponse:
        if index == 1:
            raise ConnectionError("reset")
        return response(index)

    with pytest.raises(ConnectionError, match="reset"):
        race(3, send)
