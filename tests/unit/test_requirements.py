"""The requirement catalogue: it loads, covers DESIGN.md, and refuses malformed entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spine_conformance.requirements import (
    INTERFACES,
    LEVELS,
    ROLES,
    CatalogueError,
    Requirement,
    Source,
    catalogue,
    parse_catalogue,
    requirement_ids_in,
)

DESIGN = Path(__file__).resolve().parents[3] / "shared" / "DESIGN.md"
ID_PATTERN = re.compile(r"^[A-Z]+(-[A-Z]+)*-[0-9]{2}$")


def design_requirement_ids() -> list[str]:
    """The IDs in the table of DESIGN.md's "Requirement identifiers" section."""
    if not DESIGN.is_file():
        pytest.skip(f"{DESIGN} is absent (the shared design file lives beside the checkout)")
    text = DESIGN.read_text("utf-8")
    section = text.split("## Requirement identifiers", 1)[1].split("\n## ", 1)[0]
    ids = [m.group(1) for m in re.finditer(r"^\|\s*([A-Z][A-Z0-9-]*-\d{2})\s*\|", section, re.MULTILINE)]
    assert ids, "no requirement table found in DESIGN.md"
    return ids


def test_catalogue_loads() -> None:
    loaded = catalogue()
    assert len(loaded) >= 50
    for key, requirement in loaded.items():
        assert key == requirement.id
        assert ID_PATTERN.match(requirement.id), requirement.id
        assert requirement.title.strip()
        assert requirement.source.strip()
        assert requirement.level in LEVELS
        assert requirement.interface in INTERFACES
        assert requirement.roles and set(requirement.roles) <= set(ROLES)
        assert requirement.marker == f"req:{requirement.id}"


def test_catalogue_is_cached() -> None:
    assert catalogue() is catalogue()


def test_every_design_requirement_is_in_the_catalogue() -> None:
    ids = design_requirement_ids()
    assert len(ids) == len(set(ids))
    missing = [i for i in ids if i not in catalogue()]
    assert missing == []


def test_design_table_parser_sees_the_whole_table() -> None:
    ids = design_requirement_ids()
    assert ids[0] == "SSP-URL-01"
    assert "CON-CONC-01" in ids
    assert len(ids) >= 50


ENTRY = """
[[requirement]]
id = "{id}"
title = "A title"
level = "{level}"
source = "BK-seed"
interface = "{interface}"
roles = {roles}
{extra}
[[requirement.sources]]
title = "NHS Booking API — Get an appointment"
url = "{url}"
version = "{version}"
"""
URL = "https://github.com/nhsconnect/NHS-Booking-API/blob/7f6444f/pages/explore/get_an_appointment.md"


def entry(
    id: str = "ABC-01",
    level: str = "MUST",
    interface: str = "appointments",
    roles: str = '["provider"]',
    extra: str = "",
    url: str = URL,
    version: str = "v1.0.6-alpha @ 7f6444f",
) -> str:
    return ENTRY.format(id=id, level=level, interface=interface, roles=roles, extra=extra, url=url, version=version)


def test_parse_catalogue_reads_an_entry() -> None:
    text = entry(extra='interaction = "read_appointment"\nnot_tested = "needs a person"\noperation_outcome = true')
    parsed = parse_catalogue(text)
    assert parsed == {
        "ABC-01": Requirement(
            "ABC-01",
            "A title",
            "MUST",
            "BK-seed",
            "appointments",
            ("provider",),
            interaction="read_appointment",
            not_tested="needs a person",
            sources=(Source("NHS Booking API — Get an appointment", URL, "v1.0.6-alpha @ 7f6444f"),),
            operation_outcome=True,
        )
    }
    assert parsed["ABC-01"].normative


def test_an_advisory_requirement_is_not_normative() -> None:
    parsed = parse_catalogue(entry(extra='advisory = "only the demonstrator does it"'))
    assert not parsed["ABC-01"].normative
    assert not parse_catalogue(entry(level="SHOULD"))["ABC-01"].normative


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"url": "http://example.org/x"}, "no followable https link"),
        ({"url": "BK-seed pages/x.md"}, "no followable https link"),
        ({"version": ""}, "names no specification version"),
        ({"roles": '["provider", "consumer"]'}, "must name exactly one"),
    ],
)
def test_parse_catalogue_demands_followable_versioned_sources_and_one_role(
    change: dict[str, str], problem: str
) -> None:
    with pytest.raises(CatalogueError, match=problem):
        parse_catalogue(entry(**change))


def test_parse_catalogue_demands_a_source() -> None:
    text = entry().split("[[requirement.sources]]")[0]
    with pytest.raises(CatalogueError, match="no sources"):
        parse_catalogue(text)


def test_every_catalogued_source_is_a_versioned_https_link() -> None:
    for requirement in catalogue().values():
        assert requirement.sources, requirement.id
        for source in requirement.sources:
            assert source.url.startswith("https://") and source.version, requirement.id


def test_parse_catalogue_keeps_order() -> None:
    parsed = parse_catalogue(entry("ZZZ-01") + entry("AAA-01") + entry("MMM-01"))
    assert list(parsed) == ["ZZZ-01", "AAA-01", "MMM-01"]


def test_parse_catalogue_of_nothing_is_empty() -> None:
    assert parse_catalogue("") == {}


@pytest.mark.parametrize("key", ["id", "title", "level", "source", "interface", "roles"])
def test_parse_catalogue_reports_a_missing_key(key: str) -> None:
    lines = [line for line in entry().splitlines() if not line.startswith(f"{key} =")]
    with pytest.raises(CatalogueError, match=f"missing key '{key}'") as raised:
        parse_catalogue("\n".join(lines))
    assert "requirement #1" in str(raised.value)


@pytest.mark.parametrize("level", ["must", "SHALL", "", "Should"])
def test_parse_catalogue_reports_a_bad_level(level: str) -> None:
    with pytest.raises(CatalogueError, match="level") as raised:
        parse_catalogue(entry(level=level))
    assert "ABC-01" in str(raised.value)


def test_parse_catalogue_reports_a_bad_interface() -> None:
    with pytest.raises(CatalogueError, match="interface 'fax'"):
        parse_catalogue(entry(interface="fax"))


def test_parse_catalogue_reports_a_bad_role() -> None:
    with pytest.raises(CatalogueError, match="roles"):
        parse_catalogue(entry(roles='["provider", "spectator"]'))


def test_parse_catalogue_reports_a_duplicate_id() -> None:
    with pytest.raises(CatalogueError, match="duplicate id") as raised:
        parse_catalogue(entry("ABC-01") + entry("DEF-01") + entry("ABC-01"))
    assert "requirement #3 (ABC-01)" in str(raised.value)


def test_parse_catalogue_reports_every_problem_at_once() -> None:
    text = entry("ABC-01", level="must") + entry("DEF-01", interface="fax") + entry("ABC-01")
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(text)
    message = str(raised.value)
    assert "#1 (ABC-01)" in message and "level" in message
    assert "#2 (DEF-01)" in message and "interface" in message
    assert "#3 (ABC-01)" in message and "duplicate" in message


def test_catalogue_error_is_a_value_error() -> None:
    assert issubclass(CatalogueError, ValueError)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["req:CONC-01", "journey", "req:CONC-02"], ["CONC-01", "CONC-02"]),
        (["req:CONC-01", "req:CONC-01"], ["CONC-01"]),
        (("req:SLOT-01", "slow"), ["SLOT-01"]),
        (["journey", "interaction:read_appointment"], []),
        ([], []),
        (["req:B-01", "req:A-01"], ["B-01", "A-01"]),
        (["REQ:CONC-01", "requirement:CONC-01", 7, None], []),
        ("req:CONC-01", []),
        (None, []),
    ],
)
def test_requirement_ids_in(tags: object, expected: list[str]) -> None:
    assert requirement_ids_in(tags) == expected


def test_requirement_ids_in_a_set() -> None:
    assert sorted(requirement_ids_in({"req:CONC-01", "req:CONC-02", "slow"})) == ["CONC-01", "CONC-02"]
    assert requirement_ids_in(frozenset({"req:CONC-01"})) == ["CONC-01"]
