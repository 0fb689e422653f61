"""Throughput of the embedded demonstrator over loopback TLS: prints figures, asserts nothing.

The demonstrator runs in its own process (``spine-conformance serve``), as a target would, and
this process drives it with concurrent HTTPS requests carrying the real SSP headers and JWTs:

- start-up: time from launching ``serve`` to its target file being written (servers answering);
- slot searches/s: GET Slot with a one-day window and all six _includes;
- book+cancel pairs/s: POST an Appointment for a free slot, then PUT it cancelled with If-Match.

Usage: python benchmarks/demonstrator_throughput.py [--requests N] [--concurrency C] [--via-ssp]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import wrk_load

from spine_conformance.config import load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.examples import booking_appointment
from spine_conformance.http import tls_context
from spine_conformance.interactions import SLOT_INCLUDES as INCLUDES
from spine_conformance.interactions import Interaction
from spine_conformance.ssp import SspIdentity, join_ssp_url
from spine_conformance.tokens import bearer, mint_appointments_token


def start_server(workdir: Path) -> tuple[subprocess.Popen[str], TargetConfig, float]:
    target_file = workdir / "target.toml"
    began = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "spine_conformance", "serve", "--write-config", str(target_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:  # serve prints its URLs as it becomes ready: no polling needed
        if line.startswith("target"):
            break
    startup = time.perf_counter() - began
    return server, load_config(target_file), startup


class Driver:
    def __init__(self, target: TargetConfig, via_ssp: bool) -> None:
        self.target = target
        self.via_ssp = via_ssp
        self.identity = SspIdentity(target.consumer.asid, target.provider.asid)
        self.base = target.provider.base_url

    def url(self, relative: str) -> str:
        provider = f"{self.base}/{relative}"
        return join_ssp_url(self.target.provider.ssp_url, provider) if self.via_ssp else provider

    def headers(self, interaction: Interaction, **extra: str) -> dict[str, str]:
        token = mint_appointments_token(self.target.consumer, self.base, interaction)
        return {
            **self.identity.headers(interaction),
            "Authorization": bearer(token),
            "Accept": "application/fhir+json",
            **extra,
        }


def day_window(days_ahead: int) -> list[tuple[str, str]]:
    day = datetime.now(UTC).date() + timedelta(days=days_ahead)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [
        ("schedule.actor:healthcareservice", "918999198999"),
        ("status", "free"),
        ("start", "ge" + start.isoformat()),
        ("start", "le" + (start + timedelta(days=1)).isoformat()),
        *[("_include", include) for include in INCLUDES],
    ]


def server_cpu_s(pid: int) -> float:
    """User + system CPU seconds the server process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_PID = 0


async def timed(count: int, concurrency: int, job: Any) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(count):
        queue.put_nowait(index)

    async def worker() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            started = time.perf_counter()
            await job(index)
            latencies.append(time.perf_counter() - started)

    cpu_before = server_cpu_s(SERVER_PID)
    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    timed.server_cpu_per_item = (server_cpu_s(SERVER_PID) - cpu_before) / max(count, 1)  # type: ignore[attr-defined]
    return elapsed, latencies


async def slot_searches(client: httpx.AsyncClient, driver: Driver, count: int, concurrency: int) -> None:
    async def search(index: int) -> None:
        response = await client.get(
            driver.url("Slot"), params=day_window(1 + index % 7), headers=driver.headers(Interaction.SEARCH_SLOT)
        )
        assert response.status_code == 200, response.text[:300]

    elapsed, latencies = await timed(count, concurrency, search)
    report("slot searches", count, elapsed, latencies)


async def book_cancel_pairs(client: httpx.AsyncClient, driver: Driver, count: int, concurrency: int) -> None:
    response = await client.get(
        driver.url("Slot"),
        params=[*day_window(8)[:2], ("start", "ge" + _iso(8)), ("start", "le" + _iso(28))],
        headers=driver.headers(Interaction.SEARCH_SLOT),
    )
    slots = [e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "Slot"]
    if len(slots) < count:
        count = len(slots)

    async def book_and_cancel(index: int) -> None:
        slot = slots[index]
        body = {
            **booking_appointment(),
            "start": slot["start"],
            "end": slot["end"],
            "slot": [{"reference": f"Slot/{slot['id']}"}],
        }
        created = await client.post(
            driver.url("Appointment"),
            content=json.dumps(body),
            headers=driver.headers(Interaction.CREATE_APPOINTMENT, **{"Content-Type": "application/fhir+json"}),
        )
        assert created.status_code == 201, created.text[:300]
        appointment = created.json()
        cancelled = {**appointment, "status": "cancelled"}
        updated = await client.put(
            driver.url(f"Appointment/{appointment['id']}"),
            content=json.dumps(cancelled),
            headers=driver.headers(
                Interaction.UPDATE_APPOINTMENT,
                **{"Content-Type": "application/fhir+json", "If-Match": created.headers["ETag"]},
            ),
        )
        assert updated.status_code == 200, updated.text[:300]

    elapsed, latencies = await timed(count, concurrency, book_and_cancel)
    report("book+cancel pairs", count, elapsed, latencies)


def _iso(days_ahead: int) -> str:
    day = datetime.now(UTC).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat()


def report(what: str, count: int, elapsed: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    cpu = timed.server_cpu_per_item  # type: ignore[attr-defined]
    print(
        f"{what:20} {count / elapsed:8.0f}/s   n={count}  p50 {statistics.median(ordered) * 1000:6.1f} ms"
        f"  p95 {p95 * 1000:6.1f} ms   server CPU {cpu * 1000:5.2f} ms each"
        f" (one core's ceiling {1 / cpu if cpu else float('inf'):6.0f}/s)"
    )


def with_wrk(args: argparse.Namespace, target: TargetConfig) -> None:
    """Server throughput measured with wrk (C client), leaving the CPU to the server."""
    url = target.provider.base_url
    cpu_before = server_cpu_s(SERVER_PID)
    statuses, _ = wrk_load.run_wrk(
        wrk_load.slot_search_script(target, day_window(1)), url, args.seconds, args.concurrency
    )
    cpu = server_cpu_s(SERVER_PID) - cpu_before
    searches = statuses.get(200, 0)
    print(
        f"{'slot searches':20} {searches / args.seconds:8.0f}/s   n={searches} in {args.seconds} s"
        f"   other statuses {dict((k, v) for k, v in statuses.items() if k != 200) or 'none'}"
        f"   server CPU {cpu / max(searches, 1) * 1000:5.2f} ms each"
    )
    slots = asyncio.run(free_slots(target))
    cpu_before = server_cpu_s(SERVER_PID)
    statuses, _ = wrk_load.run_wrk(wrk_load.book_cancel_script(target, slots), url, args.seconds, args.concurrency)
    cpu = server_cpu_s(SERVER_PID) - cpu_before
    pairs = min(statuses.get(201, 0), statuses.get(200, 0))
    print(
        f"{'book+cancel pairs':20} {pairs / args.seconds:8.0f}/s   n={pairs} in {args.seconds} s"
        f"   other statuses {dict((k, v) for k, v in statuses.items() if k not in (200, 201)) or 'none'}"
        f"   server CPU {cpu / max(pairs, 1) * 1000:5.2f} ms each"
    )


async def free_slots(target: TargetConfig) -> list[dict[str, Any]]:
    driver = Driver(target, False)
    query = [*day_window(8)[:2], ("start", "ge" + _iso(8)), ("start", "le" + _iso(28))]
    async with httpx.AsyncClient(verify=tls_context(target.tls), timeout=30) as client:
        response = await client.get(driver.url("Slot"), params=query, headers=driver.headers(Interaction.SEARCH_SLOT))
    return [e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "Slot"]


async def main_async(args: argparse.Namespace, target: TargetConfig) -> None:
    driver = Driver(target, args.via_ssp)
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(verify=tls_context(target.tls), limits=limits, timeout=30) as client:
        await slot_searches(client, driver, 50, args.concurrency)  # warm-up: TLS sessions, model imports
        await slot_searches(client, driver, args.requests, args.concurrency)
        await book_cancel_pairs(client, driver, args.pairs, args.concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--via-ssp", action="store_true", help="go through the SSP stand-in (two hops)")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (measures the server) or the Python client (auto: wrk if installed)",
    )
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server, target, startup = start_server(Path(workdir))
        global SERVER_PID
        SERVER_PID = server.pid
        try:
            print(f"{'start-up':20} {startup:8.2f} s  (process launch to all servers answering)")
            print(
                f"route: {'consumer -> SSP -> provider' if args.via_ssp else 'consumer -> provider'}, "
                f"concurrency {args.concurrency}"
            )
            use_wrk = args.client == "wrk" or (args.client == "auto" and wrk_load.available() and not args.via_ssp)
            print(f"client: {'wrk (C, 1 thread)' if use_wrk else 'Python httpx (async)'}")
            if use_wrk:
                with_wrk(args, target)
            else:
                asyncio.run(main_async(args, target))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
