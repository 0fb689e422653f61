"""``spine-conformance run``: the suites through pytest-bdd, then results and an exit code."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from spine_conformance.cli.common import (
    UsageProblem,
    add_identification_options,
    default_report_dir,
    identification_overrides,
    optional_config,
    point_latest,
    prepare_report_dir,
    stdout,
)
from spine_conformance.cli.progress import ScenarioProgress
from spine_conformance.cli.scenarios_cmd import selected
from spine_conformance.cli.summary import print_summary
from spine_conformance.config import dump_toml, load_config
from spine_conformance.config.model import TargetConfig
from spine_conformance.interruption import start_deadline
from spine_conformance.paths import SUITE_PATHS, SUITES, suite_files
from spine_conformance.redact import Redactor
from spine_conformance.reporting.render import render_all

PYTEST_USAGE_CODES = {
    pytest.ExitCode.INTERRUPTED,
    pytest.ExitCode.INTERNAL_ERROR,
    pytest.ExitCode.USAGE_ERROR,
}


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("run", help="run the conformance suites")
    parser.add_argument("--config", help="target TOML (default: start the embedded demonstrator)")
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    parser.add_argument("--tags", default="", help='tag expression, e.g. "req:CONC-01 or interaction:read_appointment"')
    parser.add_argument("--report-dir", help="output folder (default reports/<UTC timestamp>/)")
    parser.add_argument("--baseline", help="an earlier results.json to compare with")
    parser.add_argument("-n", "--workers", type=int, default=0, help="parallel pytest-xdist workers (0 = none)")
    parser.add_argument("--no-redact", action="store_true", help="keep tokens and patient data in the artefacts")
    parser.add_argument(
        "--features",
        action="append",
        default=[],
        metavar="DIR",
        help="also run your own .feature files from DIR with the harness's steps (repeatable)",
    )
    parser.add_argument(
        "--max-duration",
        type=float,
        default=0,
        metavar="SECONDS",
        help="stop the run after this long, writing its reports marked interrupted (0 = no limit)",
    )
    add_identification_options(parser)
    parser.set_defaults(handler=run)


def _check_selection(expression: str, suites: list[str], edition: str = "1") -> None:
    """A tag expression that selects nothing is a usage error, before anything is started or written."""
    chosen = selected(suites, expression)  # none at all: a usage error naming the nearest known tags
    if not any(_of_edition(scenario.tags, edition) for scenario in chosen):
        raise UsageProblem(
            f"--tags {expression!r} selects only scenarios of another Booking edition; they run only against "
            f"a target whose [spec] edition names it (this target follows edition {edition})"
        )


def _of_edition(tags: Iterable[str], edition: str) -> bool:
    """Whether a scenario runs against a target of ``edition`` (an @edition:<n> tag limits it to that one)."""
    editions = {tag.partition(":")[2] for tag in tags if tag.startswith("edition:")}
    return not editions or edition in editions


def selected_suites(choice: str) -> list[str]:
    chosen = list(SUITES) if choice == "all" else [choice]
    present = [suite for suite in chosen if _suite_dirs(suite)]
    if not present:
        raise UsageProblem(f"the {choice} suite has no scenarios in this version")
    return present


def _suite_dirs(suite: str) -> list[Path]:
    root = suite_files().root
    return [root / rel for rel in SUITE_PATHS[suite] if any((root / rel).glob("test_*.py"))]


def _bind_user_features(directories: list[str], workdir: Path) -> list[Path]:
    """A pytest module per user folder of .feature files, binding them to the harness's step library."""
    modules = []
    for index, name in enumerate(directories):
        folder = Path(name).expanduser().resolve()
        if not folder.is_dir() or not any(folder.rglob("*.feature")):
            raise UsageProblem(f"--features {name}: not a folder of .feature files")
        module = workdir / f"test_user_features_{index}.py"
        module.write_text(f"from pytest_bdd import scenarios\n\nscenarios({str(folder)!r})\n", "utf-8")
        modules.append(module)
    return modules


def run(args: argparse.Namespace) -> int:
    if args.workers < 0:
        raise UsageProblem("-n/--workers must be 0 or more")
    if args.max_duration < 0:
        raise UsageProblem("--max-duration must be 0 (no limit) or a number of seconds")
    overrides = identification_overrides(args)
    suites = selected_suites(args.suite)
    # Every problem of the configuration at once: its values and what the suites need.
    config = load_config(args.config, suites=suites) if args.config else None
    if args.tags:
        _check_selection(args.tags, suites, config.spec.edition if config else "1")
    if args.baseline and not Path(args.baseline).is_file():
        raise UsageProblem(f"--baseline {args.baseline}: no such file")
    report_dir = Path(args.report_dir) if args.report_dir else default_report_dir()
    prepare_report_dir(report_dir)
    with ExitStack() as stack, terminate_as_interrupt():
        if args.max_duration:
            stack.callback(start_deadline(args.max_duration).cancel)
        config_path = Path(args.config).resolve() if args.config else None
        if config_path is None:
            config_path = _start_embedded(stack, report_dir)
        workdir = Path(tempfile.mkdtemp(prefix="spine-conformance-run-"))
        stack.callback(shutil.rmtree, workdir, True)
        extra = _bind_user_features(args.features, workdir)
        identification = {**overrides, "embedded": args.config is None}
        code = _run_pytest(args, suites, config_path, report_dir.resolve(), extra, identification)
    results_written = (report_dir / "results.json").is_file()
    if code == pytest.ExitCode.INTERRUPTED and not results_written:
        raise KeyboardInterrupt  # interrupted before anything was collected: nothing to report
    if code in PYTEST_USAGE_CODES and code != pytest.ExitCode.INTERRUPTED:
        raise UsageProblem(f"pytest stopped with {code.name}; see the messages above")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise UsageProblem(f"no scenario matches --suite {args.suite} --tags {args.tags!r}")
    rendered = render_all(report_dir, Path(args.baseline) if args.baseline else None)
    if not args.report_dir:
        point_latest(report_dir)
    print_summary(rendered.run.results, report_dir, rendered.comparison)
    return int(rendered.run.results["verdict"]["exit_code"])


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI time limit, ``kill``) stops the run like Ctrl-C: reports written, marked interrupted."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (run called from a test harness): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _start_embedded(stack: ExitStack, report_dir: Path) -> Path:
    from spine_conformance.demonstrator.embedded import Demonstrator

    stdout.print("Starting the embedded demonstrator (provider, SSP, $validate) on loopback …")
    demonstrator = stack.enter_context(Demonstrator())
    path = Path(demonstrator.workdir) / "embedded-target.toml"
    path.write_text(dump_toml(demonstrator.config), "utf-8")
    return path


def _run_pytest(
    args: argparse.Namespace,
    suites: list[str],
    config_path: Path,
    report_dir: Path,
    extra: list[Path],
    identification: dict[str, Any],
) -> pytest.ExitCode:
    files = suite_files()
    # Every feature file must lie under the rootdir (allure-pytest-bdd names results from the path).
    folders = [Path(name).expanduser().resolve() for name in args.features]
    rootdir = Path(os.path.commonpath([files.root, *folders]))
    pytest_args = [
        # The same settings from a checkout or an installed wheel; the plugin and the step library by name.
        "-c",
        str(Path(str(resources.files("spine_conformance"))) / "data" / "pytest.ini"),
        "--rootdir",
        str(rootdir),
        "--confcutdir",  # in a checkout, its root conftest.py registers the plugin and the steps
        str(files.root),
        *(word for plugin in files.plugins for word in ("-p", plugin)),
        "--strict-markers",
        "-p",
        "no:terminal",  # ScenarioProgress prints one line per scenario instead
        "--target-config",
        str(config_path),
        "--report-dir",
        str(report_dir),
        "--alluredir",
        str(report_dir / "allure-results"),
        "--clean-alluredir",
        "--suites",
        ",".join(suites),
        "--identification",
        json.dumps(identification),
    ]
    if args.tags:
        pytest_args += ["--tags", args.tags]
    if args.workers:
        pytest_args += ["-n", str(args.workers)]
    if args.no_redact:
        pytest_args.append("--no-redact")
    pytest_args += [str(path) for suite in suites for path in _suite_dirs(suite)]
    pytest_args += [str(module) for module in extra]
    config = optional_config(str(config_path))
    progress = ScenarioProgress(Redactor.for_target(config or TargetConfig(), enabled=not args.no_redact))
    code = pytest.ExitCode(pytest.main(pytest_args, plugins=[progress]))
    if progress.collection_errors:  # a broken feature file or step library: nothing was run, and it is not the target
        raise UsageProblem(
            f"{progress.collection_errors} feature file(s) could not be collected; see the messages above"
        )
    return code
