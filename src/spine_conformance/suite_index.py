"""What the Gherkin suites contain, read from the feature files without running them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pytest_bdd.feature import get_features

from spine_conformance.paths import SUITE_PATHS, suite_files


@dataclass(frozen=True)
class IndexedScenario:
    feature_file: str
    name: str
    tags: frozenset[str]

    @property
    def requirements(self) -> list[str]:
        return sorted(tag[4:] for tag in self.tags if tag.startswith("req:"))


@cache
def indexed_scenarios(root: Path | None = None) -> tuple[IndexedScenario, ...]:
    files = suite_files()
    found: list[IndexedScenario] = []
    for feature in get_features([str(root or files.features)]):
        relative = str(Path(feature.filename).resolve().relative_to(files.root))
        for template in feature.scenarios.values():
            rule_tags = template.rule.tags if template.rule is not None else set()
            tags = frozenset(template.tags | feature.tags | rule_tags)
            found.append(IndexedScenario(relative, template.name, tags))
    return tuple(found)


def verified_requirements(root: Path | None = None) -> set[str]:
    return {requirement for scenario in indexed_scenarios(root) for requirement in scenario.requirements}


def suite_of(feature_file: str) -> str:
    """The suite a feature file belongs to ("" when none)."""
    return next(
        (suite for suite, folders in SUITE_PATHS.items() if any(feature_file.startswith(f + "/") for f in folders)), ""
    )
