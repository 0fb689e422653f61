"""Racing requests: exactly one writer wins (CONC-04, CONC-03) and no update is lost (CONC-03)."""

from __future__ import annotations

import pytest

from spine_conformance.checks.concurrency import check_no_lost_update, check_single_winner
from spine_conformance.findings import CheckFailed


def findings(raised: pytest.ExceptionInfo[CheckFailed]) -> list[tuple[str, str, str]]:
    return [(f.requirement, f.expected, f.actual) for f in raised.value.findings]


# -- check_single_winner -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("statuses", "winner", "losers"),
    [([201, 422, 422, 422, 422], 201, 422), ([409, 200], 200, 409), ([201], 201, 409), ([409, 409, 200], 200, 409)],
)
def test_one_winner_passes(statuses: list[int], winner: int, losers: int) -> None:
    check_single_winner(statuses, winner, losers, "CONC-04")


def test_zero_winners() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_single_winner([422, 422, 422], 201, 422, "CONC-04")
    assert findings(raised) == [("CONC-04", "exactly one 201 among 3 racing requests", "3× 422")]


def test_two_winners() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_single_winner([200, 409, 200], 200, 409, "CONC-03")
    assert findings(raised) == [("CONC-03", "exactly one 200 among 3 racing requests", "2× 200, 1× 409")]


def test_every_request_winning() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_single_winner([201, 201], 201, 422, "CONC-04")
    assert findings(raised) == [("CONC-04", "exactly one 201 among 2 racing requests", "2× 201")]


def test_an_unexpected_status_among_the_losers() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_single_winner([201, 422, 500, 422], 201, 422, "CONC-04")
    assert findings(raised) == [("CONC-04", "every other request refused with 422", "1× 201, 2× 422, 1× 500")]


def test_no_winner_and_unexpected_losers_reported_together() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_single_winner([500, 409], 200, 409, "CONC-03")
    assert findings(raised) == [
        ("CONC-03", "exactly one 200 among 2 racing requests", "1× 409, 1× 500"),
        ("CONC-03", "every other request refused with 409", "1× 409, 1× 500"),
    ]


# -- check_no_lost_update (CONC-03) ------------------------------------------------------------------
@pytest.mark.parametrize(("start", "final"), [("1", "2"), ("9", "10"), ("41", "42")])
def test_numeric_version_moved_on_by_one(start: str, final: str) -> None:
    check_no_lost_update(final, start)


@pytest.mark.parametrize("final", ["9", "3", "1", "0"], ids=["plus-8", "plus-2", "unchanged", "backwards"])
def test_numeric_version_moved_on_by_other_than_one(final: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_no_lost_update(final, "1")
    assert findings(raised) == [("CONC-03", "versionId 2 after the race", f"versionId {final}")]


@pytest.mark.parametrize(("start", "final"), [("a1b2", "c3d4"), ("1", "v2"), ("etag-x", "7")])
def test_non_numeric_versions_only_need_to_change(start: str, final: str) -> None:
    check_no_lost_update(final, start)


@pytest.mark.parametrize("version", ["a1b2", "v1"])
def test_non_numeric_version_unchanged(version: str) -> None:
    with pytest.raises(CheckFailed) as raised:
        check_no_lost_update(version, version)
    [(requirement, expected, actual)] = findings(raised)
    assert (requirement, actual) == ("CONC-03", f"versionId {version}")
    assert f"other than {version}" in expected
