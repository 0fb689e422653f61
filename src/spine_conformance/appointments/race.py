"""Send the same request from several threads at once (released together by a barrier)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from spine_conformance.http import HttpResponse

BARRIER_TIMEOUT_S = 30


def race(count: int, send: Callable[[int], HttpResponse]) -> list[HttpResponse]:
    """Run ``send(i)`` for i in 0..count-1 concurrently; every thread starts the request together."""
    barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT_S)

    def contender(index: int) -> HttpResponse:
        barrier.wait()
        return send(index)

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="race") as pool:
        return list(pool.map(contender, range(count)))
