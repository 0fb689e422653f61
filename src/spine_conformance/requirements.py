"""The requirement catalogue, read from ``data/requirements.toml`` (the single source).

Each requirement carries its level and the published sources it comes from, each a followable
link with the specification's version; a requirement that only an assurance pack imposes names
that pack's profile and applies only when the target selects it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LEVELS = ("MUST", "SHOULD", "MAY")
INTERFACES = ("appointments", "exemption", "common")
ROLES = ("provider", "consumer")
# The Booking editions a requirement can be limited to ([spec] edition): the seed pages, the 2.x pages.
EDITIONS = ("1", "2")
# Which requirements each suite can verify: (role, interfaces).
SUITE_SCOPE: dict[str, tuple[str, tuple[str, ...]]] = {
    "provider": ("provider", ("appointments", "common")),
    "exemption": ("provider", ("exemption", "common")),
    "consumer": ("consumer", ("appointments", "exemption", "common")),
    "load": ("provider", ("appointments",)),
}
# Requirements that apply only to some targets (catalogue key `condition`), and how a target meets it.
CONDITIONS = {
    "mutual-tls": "a target that authenticates clients by certificate ([tls] client_cert and client_key configured)",
}


@dataclass(frozen=True)
class Source:
    """One published text a requirement comes from."""

    title: str
    url: str
    version: str
    section: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "version": self.version, "section": self.section}


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
    sources: tuple[Source, ...] = ()
    # Its own text demands an OperationOutcome with the error, so a bare error answer fails it too.
    operation_outcome: bool = False
    # An assurance pack's own rule (e.g. "gp-connect", "tkw"): applies only when that profile is selected.
    profile: str = ""
    # Why no published source makes it normative (its findings are then advisory), or "".
    advisory: str = ""
    # The one suite (or command) that judges it, when not the one its role and interface imply ("load").
    suite: str = ""
    # It applies only to a target that meets this condition (CONDITIONS), e.g. "mutual-tls".
    condition: str = ""
    # The only Booking edition it belongs to ("1" the seed pages, "2" the 2.x pages), or "" for both.
    edition: str = ""

    @property
    def marker(self) -> str:
        return f"req:{self.id}"

    @property
    def role(self) -> str:
        return self.roles[0]

    @property
    def normative(self) -> bool:
        """A published MUST: failing it fails the run; any other requirement's findings are advisory."""
        return self.level == "MUST" and not self.advisory

    def in_suite(self, suite: str) -> bool:
        if self.suite or suite == "load":
            return suite == self.suite
        role, interfaces = SUITE_SCOPE[suite]
        return role in self.roles and self.interface in interfaces


# How reports name the catalogue's interfaces.
INTERFACE_TITLES = {
    "appointments": "Appointments (FHIR STU3 via the SSP)",
    "exemption": "Real Time Exemption Checking",
    "common": "Common to both",
}


class CatalogueError(ValueError):
    pass


def _catalogue_text() -> str:
    return resources.files("spine_conformance").joinpath("data/requirements.toml").read_text("utf-8")


@cache
def catalogue() -> dict[str, Requirement]:
    """Every requirement, keyed by ID, in catalogue order."""
    return parse_catalogue(_catalogue_text())


@cache
def catalogue_digest() -> str:
    """SHA-256 of the catalogue file: names exactly which requirement texts and sources a run used."""
    return hashlib.sha256(_catalogue_text().encode("utf-8")).hexdigest()


def is_normative(requirement_id: str) -> bool:
    """Whether a finding against ``requirement_id`` fails it (unknown IDs are treated as normative)."""
    requirement = catalogue().get(requirement_id)
    return requirement.normative if requirement is not None else True


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
                sources=tuple(_source(item) for item in entry.get("sources", [])),
                operation_outcome=bool(entry.get("operation_outcome", False)),
                profile=entry.get("profile", ""),
                advisory=entry.get("advisory", ""),
                suite=entry.get("suite", ""),
                condition=entry.get("condition", ""),
                edition=str(entry.get("edition", "")),
            )
        except KeyError as missing:
            problems.append(f"{where}: missing key {missing}")
            continue
        problems += [f"{where}: {problem}" for problem in _problems(requirement)]
        if requirement.id in result:
            problems.append(f"{where}: duplicate id")
        result[requirement.id] = requirement
    if problems:
        raise CatalogueError("; ".join(problems))
    return result


def _source(item: dict[str, Any]) -> Source:
    return Source(item["title"], item["url"], item["version"], item.get("section", ""))


def _problems(requirement: Requirement) -> list[str]:
    problems: list[str] = []
    if requirement.level not in LEVELS:
        problems.append(f"level {requirement.level!r} is not one of {LEVELS}")
    if requirement.suite and requirement.suite not in SUITE_SCOPE:
        problems.append(f"suite {requirement.suite!r} is not one of {tuple(SUITE_SCOPE)}")
    if requirement.condition and requirement.condition not in CONDITIONS:
        problems.append(f"condition {requirement.condition!r} is not one of {tuple(CONDITIONS)}")
    if requirement.edition and requirement.edition not in EDITIONS:
        problems.append(f"edition {requirement.edition!r} is not one of {EDITIONS}")
    if requirement.interface not in INTERFACES:
        problems.append(f"interface {requirement.interface!r} is not one of {INTERFACES}")
    if len(requirement.roles) != 1 or requirement.roles[0] not in ROLES:
        # What a consumer must send and what a service must answer are different requirements.
        problems.append(f"roles {requirement.roles!r} must name exactly one of {ROLES}")
    if not requirement.sources and not requirement.advisory:
        # A normative requirement cites its published text; one no text states says so (`advisory`).
        problems.append("no sources: every requirement cites the published text it comes from")
    for source in requirement.sources:
        if not source.url.startswith("https://"):
            problems.append(f"source {source.title!r} has no followable https link")
        if not source.version:
            problems.append(f"source {source.title!r} names no specification version")
    return problems


def requirement_ids_in(tags: object) -> list[str]:
    """The requirement IDs named by ``req:<ID>`` tags among ``tags`` (in order, no repeats)."""
    ids: list[str] = []
    for tag in tags if isinstance(tags, list | tuple | set | frozenset) else ():
        if isinstance(tag, str) and tag.startswith("req:") and tag[4:] not in ids:
            ids.append(tag[4:])
    return ids
