"""How the harness and its Locust processes find each other: environment variables and the locustfile.

Kept apart from the locustfile so the harness can name it without importing it (importing it would
import Locust, and Locust monkey-patches the process for gevent).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# The target TOML each Locust process reads (a per-machine path, so not a Locust option: Locust
# forwards the master's options to its workers, and a worker's path is its own).
TARGET_VARIABLE = "SPINE_CONFORMANCE_LOAD_TARGET"
# Where the master (or the single local process) appends the observations, as JSON lines.
OBSERVATIONS_VARIABLE = "SPINE_CONFORMANCE_LOAD_OBSERVATIONS"
# The run's ConsumerPlan as JSON: a Locust option, so the master forwards it to every worker.
PLAN_OPTION = "--spine-plan"
LOCUST_FILE = "locustfile.py"


def locustfile_path() -> Path:
    return Path(str(resources.files("spine_conformance.load").joinpath(LOCUST_FILE)))
