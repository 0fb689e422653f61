"""Conformance-checked requests per second per Locust worker, and the scaling from one worker to two.

Every request counted is judged by the suites' checks (and a share of bodies by the FHIR validator),
so this measures the harness under load, not a bare HTTP client. Runs ``spine-conformance load``
against a demonstrator started here, with no think time so the consumers go as fast as they can:
one Locust process, then a master with one worker, then a master with two. Prints, asserts nothing.

On a small machine the demonstrator shares the cores with the workers: the scaling shown is
the whole system's, which is what a supplier running harness and provider side by side would see.

Usage: python benchmarks/load_scaling.py [--duration S] [--users N] [--direct]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from spine_conformance.config import dump_toml
from spine_conformance.config.model import LoadConfig
from spine_conformance.demonstrator.embedded import Demonstrator

LAYOUTS = ((0, "one Locust process"), (1, "master + 1 worker"), (2, "master + 2 workers"))


def run_load(config: Path, workers: int, users: int, duration: int, report_dir: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "spine_conformance",
            "load",
            "--config",
            str(config),
            "--workers",
            str(workers),
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--duration",
            f"{duration}s",
            "--report-dir",
            str(report_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    results_file = report_dir / "results.json"
    if not results_file.is_file():
        raise SystemExit(f"the load run wrote no results:\n{completed.stdout}\n{completed.stderr}")
    results: dict[str, Any] = json.loads(results_file.read_text("utf-8"))
    return results


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def not_passed(results: dict[str, Any]) -> str:
    return "; ".join(
        f"{r['id']} {r['status']}: {r.get('reason', '')[:160]}"
        for r in results["requirements"]
        if r["status"] != "passed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per layout")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--direct", action="store_true", help="call the provider directly, not through the SSP")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; {args.users} consumers, no think time, {args.duration} s per layout")
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        with Demonstrator(workdir=root / "demonstrator") as demonstrator:
            measure(demonstrator, root, args, rates)
    if rates.get(1):
        print(f"scaling from one worker to two: x{rates[2] / rates[1]:.2f}")


def measure(demonstrator: Demonstrator, root: Path, args: argparse.Namespace, rates: dict[int, float]) -> None:
    target = demonstrator.direct_config() if args.direct else demonstrator.config
    target = replace(target, load=replace(LoadConfig(), think_time_ms=0, max_users=max(100, args.users)))
    config = root / "target.toml"
    config.write_text(dump_toml(target), "utf-8")
    for workers, label in LAYOUTS:
        # Locust's processes are the load command's children: their CPU time is counted when it
        # waits for them, and reaches this process's RUSAGE_CHILDREN when it waits for the command.
        # The demonstrator's threads run here, in RUSAGE_SELF.
        harness_before, demo_before = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
        results = run_load(config, workers, args.users, args.duration, root / f"workers-{workers}")
        harness_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - harness_before
        demo_cpu = cpu_seconds(resource.RUSAGE_SELF) - demo_before
        load = results["load"]
        per_process = load["rps_by_process"]
        per_worker = sum(per_process.values()) / max(1, len(per_process))
        p95 = max((row["p95_ms"] for row in load["interactions"]), default=0.0)
        rates[workers] = load["rps"]
        print(
            f"{label:20} {load['rps']:7.1f} checked req/s  {per_worker:7.1f} per worker  "
            f"{load['requests'] / harness_cpu:6.0f} per harness CPU-s  "
            f"(demonstrator {demo_cpu / load['span_s']:4.0%} of a core)  "
            f"worst p95 {p95:6.1f} ms  {load['validated']:4d} validated  {results['verdict']}"
        )
        if results["verdict"] != "PASS":
            print(f"  {results.get('headline') or not_passed(results)}")


if __name__ == "__main__":
    main()
