"""Where the suite's files live: inside the installed package, or beside it in a source checkout.

A wheel (pip, pipx, uvx) carries ``features/``, ``steps/`` and ``schemas/`` as package data under
``spine_conformance/``; a checkout keeps them at the top of the repository. Everything that needs
them asks :func:`suite_files`, so the tool works the same either way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

SUITE_PATHS = {
    "provider": ("features/appointments/provider",),
    "exemption": ("features/exemption/provider",),
    "consumer": ("features/appointments/consumer", "features/exemption/consumer"),
}
SUITES = tuple(SUITE_PATHS)


@dataclass(frozen=True)
class SuiteFiles:
    """The folder holding features/, steps/ and schemas/, and how its step library is imported."""

    root: Path
    steps_module: str  # "steps" in a checkout, "spine_conformance.steps" when installed
    # Plugins pytest must load by name: installed, nothing else would; in a checkout the root
    # conftest.py registers the plugin and the steps (and puts the checkout on sys.path to do so).
    plugins: tuple[str, ...] = ()

    @property
    def features(self) -> Path:
        return self.root / "features"

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"


class SuiteFilesMissing(RuntimeError):
    pass


@cache
def suite_files() -> SuiteFiles:
    package = Path(str(resources.files("spine_conformance")))
    if (package / "features").is_dir():  # an installed wheel
        return SuiteFiles(
            package, "spine_conformance.steps", ("spine_conformance.pytest_plugin", "spine_conformance.steps")
        )
    checkout = package.parents[1]  # src/spine_conformance -> the checkout
    if (checkout / "features").is_dir() and (checkout / "steps").is_dir():
        return SuiteFiles(checkout, "steps")
    raise SuiteFilesMissing(f"neither {package} nor {checkout} holds the suites' features/ and steps/")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((suite_files().schemas / name).read_text("utf-8"))
    return loaded


def validator(name: str) -> jsonschema.protocols.Validator:
    document = schema(name)
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document, format_checker=cls.FORMAT_CHECKER)
