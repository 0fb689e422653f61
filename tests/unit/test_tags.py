"""Tag selection expressions: and/or/not, parentheses, wildcards and clear syntax errors."""

from __future__ import annotations

import pytest

from spine_conformance.tags import TagExpressionError, parse_tags

SCENARIO = frozenset({"req:APPT-CREATE-01", "req:CONC-04", "interaction:create_appointment", "journey"})


def selects(expression: str, tags: frozenset[str] | set[str] = SCENARIO) -> bool:
    return parse_tags(expression)(tags)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("journey", True),
        ("slow", False),
        ("req:CONC-04", True),
        ("req:CONC-0", False),
        ("REQ:CONC-04", False),
        ("interaction:create_appointment", True),
    ],
)
def test_single_tag(expression: str, expected: bool) -> None:
    assert selects(expression) is expected


def test_single_tag_matches_nothing_on_an_untagged_scenario() -> None:
    assert selects("journey", set()) is False
    assert selects("not journey", set()) is True


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("journey and req:CONC-04", True),
        ("journey and slow", False),
        ("slow or journey", True),
        ("slow or destructive", False),
        ("not slow", True),
        ("not journey", False),
        ("not not journey", True),
        # and binds tighter than or
        ("journey or slow and destructive", True),
        ("slow and destructive or journey", True),
        ("slow and journey or destructive", False),
        # not binds tighter than and
        ("not slow and journey", True),
        ("not journey and slow", False),
        ("not journey or journey", True),
    ],
)
def test_operators_and_precedence(expression: str, expected: bool) -> None:
    assert selects(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("(journey or slow) and destructive", False),
        ("journey or (slow and destructive)", True),
        ("not (slow or journey)", False),
        ("not (slow or destructive)", True),
        ("((journey))", True),
        ("(req:CONC-04 and (journey or slow)) and not destructive", True),
        ("(journey)and(req:CONC-04)", True),
    ],
)
def test_parentheses(expression: str, expected: bool) -> None:
    assert selects(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("req:APPT-*", True),
        ("req:APPT-CREATE-0?", True),
        ("req:APPT-READ-*", False),
        ("req:*", True),
        ("interaction:*_appointment", True),
        ("req:CONC-0[1-3]", False),
        ("req:CONC-0[4-9]", True),
        ("req:*-01 and not req:RTEC-*", True),
        ("*", True),
    ],
)
def test_wildcards(expression: str, expected: bool) -> None:
    assert selects(expression) is expected


def test_wildcard_against_several_scenarios() -> None:
    predicate = parse_tags("req:APPT-*")
    assert predicate({"req:APPT-CREATE-01"})
    assert predicate({"req:APPT-SEARCH-01", "slow"})
    assert not predicate({"req:CONC-01"})
    assert not predicate({"req:APPT"})


@pytest.mark.parametrize(
    "expression",
    ["@journey", "@req:CONC-04 and @journey", "not @slow", "(@journey or @slow)", "  @journey  "],
)
def test_leading_at_sign_is_tolerated(expression: str) -> None:
    assert selects(expression) is True


def test_whitespace_is_free() -> None:
    assert selects("  journey\tand\nreq:CONC-04  ") is True


@pytest.mark.parametrize("expression", ["", "   ", "\t\n"])
def test_empty_expression(expression: str) -> None:
    with pytest.raises(TagExpressionError, match="empty"):
        parse_tags(expression)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("journey and", "end"),
        ("journey or", "end"),
        ("not", "end"),
        ("and journey", "'and'"),
        ("or journey", "'or'"),
        ("journey and or slow", "'or'"),
        ("journey not slow", "'not'"),
        ("journey slow", "'slow'"),
    ],
)
def test_dangling_or_misplaced_operator(expression: str, message: str) -> None:
    with pytest.raises(TagExpressionError, match=message) as raised:
        parse_tags(expression)
    assert repr(expression) in str(raised.value)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("(journey or slow", "end"),
        ("((journey)", "end"),
        ("journey)", r"'\)'"),
        ("(journey))", r"'\)'"),
        (")journey(", r"'\)'"),
        ("()", r"'\)'"),
        ("(journey slow)", r"missing '\)'"),
    ],
)
def test_unbalanced_parentheses(expression: str, message: str) -> None:
    with pytest.raises(TagExpressionError, match=message) as raised:
        parse_tags(expression)
    assert repr(expression) in str(raised.value)


@pytest.mark.parametrize(
    ("expression", "column"),
    [
        ("journey & slow", 9),
        ("journey && slow", 9),
        ("journey | slow", 9),
        ("!slow", 1),
        ("req:CONC-04,slow", 12),
        ("journey and $x", 13),
    ],
)
def test_bad_characters_are_reported_with_their_column(expression: str, column: int) -> None:
    with pytest.raises(TagExpressionError, match="cannot read tag expression") as raised:
        parse_tags(expression)
    message = str(raised.value)
    assert repr(expression) in message
    assert "column" in message
    # Whatever column is named, it is at or just before the offending character.
    named = int(message.rsplit("column", 1)[1].strip())
    assert named in (column - 1, column)


@pytest.mark.parametrize(
    ("expression", "column"),
    [("journey & slow", 9), ("@journey & slow", 10), ("@a @b $c", 7)],
)
def test_bad_character_column_is_exact(expression: str, column: int) -> None:
    with pytest.raises(TagExpressionError, match=f"column {column}$"):
        parse_tags(expression)


def test_at_sign_inside_a_tag_is_refused() -> None:
    with pytest.raises(TagExpressionError):
        parse_tags("req:CONC@04")


def test_tag_expression_error_is_a_value_error() -> None:
    assert issubclass(TagExpressionError, ValueError)
