"""Wall time of the whole provider suite against the embedded demonstrator: prints, asserts nothing.

Runs ``spine-conformance run --suite provider`` (demonstrator start-up included) a few times,
through the SSP stand-in as `make run` does, with the provider called directly, and against a
demonstrator following the Booking 2.x edition ([spec] edition = "2").

Usage: python benchmarks/provider_suite.py [--repeat N] [-n WORKERS]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from spine_conformance.config import dump_toml
from spine_conformance.config.model import SpecChoices
from spine_conformance.demonstrator.embedded import Demonstrator


def run_once(extra: list[str], report_dir: Path) -> tuple[float, float, int]:
    """(wall seconds of the whole command, seconds pytest reports for the scenarios, scenarios run)."""
    began = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "spine_conformance",
            "run",
            "--suite",
            "provider",
            "--report-dir",
            str(report_dir),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - began
    if completed.returncode != 0:
        raise SystemExit(f"the provider suite failed:\n{completed.stdout}\n{completed.stderr}")
    results = json.loads((report_dir / "results.json").read_text())
    return wall, float(results["duration_s"]), len(results["scenarios"])


def report(label: str, runs: list[tuple[float, float, int]]) -> None:
    walls = [wall for wall, _, _ in runs]
    suite = [duration for _, duration, _ in runs]
    scenarios = runs[0][2]
    print(
        f"{label:34} wall {statistics.median(walls):5.2f} s (min {min(walls):5.2f})   "
        f"scenarios {scenarios}   in-suite {statistics.median(suite):5.2f} s = "
        f"{scenarios / statistics.median(suite):6.1f} scenarios/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-n", "--workers", type=int, default=0)
    args = parser.parse_args()
    extra = ["-n", str(args.workers)] if args.workers else []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        embedded = [run_once(extra, root / f"embedded-{i}") for i in range(args.repeat)]
        report("embedded demonstrator, via SSP", embedded)
        with Demonstrator() as demonstrator:
            config = root / "direct.toml"
            config.write_text(dump_toml(demonstrator.direct_config()))
            direct = [run_once([*extra, "--config", str(config)], root / f"direct-{i}") for i in range(args.repeat)]
        report("running demonstrator, direct", direct)
        with Demonstrator(spec=SpecChoices(edition="2")) as demonstrator:
            config = root / "edition2.toml"
            config.write_text(dump_toml(demonstrator.config))
            edition2 = [run_once([*extra, "--config", str(config)], root / f"ed2-{i}") for i in range(args.repeat)]
        report("running demonstrator, edition 2", edition2)


if __name__ == "__main__":
    main()
