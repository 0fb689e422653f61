"""The requirement catalogue, read from ``data/requirements.toml`` (the single source)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

LEVELS = ("MUST", "SHOULD", "MAY")
INTERFACES = ("appointments", "exemption", "common")
ROLES = ("provider", "consumer")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    level: str
    source: str
    interface: str
    roles: tuple[str, ...]
    interaction: str = ""
    # Why no scenario verifies it, when that is deliberate.
    not_tested: str = ""

    @property
    def marker(self) -> str:
        return f"req:{self.id}"


class CatalogueError(ValueError):
    pass


@cache
def catalogue() -> dict[str, Requirement]:
    """Every requirement, keyed by ID, in catalogue order."""
    raw = resources.files("spine_conformance").joinpath("data/requirements.toml").read_text("utf-8")
    return parse_catalogue(raw)


def parse_catalogue(text: str) -> dict[str, Requirement]:
    entries = tomllib.loads(text).get("requirement", [])
    result: dict[str, Requirement] = {}
    problems: list[str] = []
    for index, entry in enumerate(entries):
        where = f"requirement #{index + 1} ({entry.get('id', '?')})"
        try:
            requirement = Requirement(
                id=entry["id"],
                title=entry["title"],
                level=entry["level"],
                source=entry["source"],
                interface=entry["interface"],
                roles=tuple(entry["roles"]),
                interaction=entry.get("interaction", ""),
                not_tested=entry.get("not_tested", ""),
            )
        except KeyError as missing:
            problems.append(f"{where}: missing key {missing}")
            continue
        if requirement.level not in LEVELS:
            problems.append(f"{where}: level {requirement.level!r} is not one of {LEVELS}")
        if requirement.interface not in INTERFACES:
            problems.append(f"{where}: interface {requirement.interface!r} is not one of {INTERFACES}")
        if not set(requirement.roles) <= set(ROLES):
            problems.append(f"{where}: roles {requirement.roles!r} must be drawn from {ROLES}")
        if requirement.id in result:
            problems.append(f"{where}: duplicate id")
        result[requirement.id] = requirement
    if problems:
        raise CatalogueError("; ".join(problems))
    return result


def requirement_ids_in(tags: object) -> list[str]:
    """The requirement IDs named by ``req:<ID>`` tags among ``tags`` (in order, no repeats)."""
    ids: list[str] = []
    for tag in tags if isinstance(tags, list | tuple | set | frozenset) else ():
        if isinstance(tag, str) and tag.startswith("req:") and tag[4:] not in ids:
            ids.append(tag[4:])
    return ids
