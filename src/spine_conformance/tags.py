"""Tag selection expressions: ``req:CONC-01 or (interaction:read_appointment and not slow)``.

Names may use shell-style wildcards (``req:APPT-*``). Parsed once into a predicate over a
scenario's tag set; a syntax error names the offending position.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Collection

Predicate = Callable[[Collection[str]], bool]
TOKEN = re.compile(r"(\()|(\))|(@?[A-Za-z0-9_:.\-*?\[\]]+)")
KEYWORDS = {"and", "or", "not"}


class TagExpressionError(ValueError):
    pass


def parse_tags(expression: str) -> Predicate:
    tokens = _tokenize(expression)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        token = peek()
        if token is None:
            raise TagExpressionError(f"unexpected end of tag expression {expression!r}")
        position += 1
        return token

    def parse_or() -> Predicate:
        left = parse_and()
        while peek() == "or":
            take()
            right = parse_and()
            left = (lambda a, b: lambda tags: a(tags) or b(tags))(left, right)
        return left

    def parse_and() -> Predicate:
        left = parse_not()
        while peek() == "and":
            take()
            right = parse_not()
            left = (lambda a, b: lambda tags: a(tags) and b(tags))(left, right)
        return left

    def parse_not() -> Predicate:
        if peek() == "not":
            take()
            inner = parse_not()
            return lambda tags: not inner(tags)
        token = take()
        if token == "(":
            inner = parse_or()
            if take() != ")":
                raise TagExpressionError(f"missing ')' in tag expression {expression!r}")
            return inner
        if token in KEYWORDS or token == ")":
            raise TagExpressionError(f"unexpected {token!r} in tag expression {expression!r}")
        pattern = token.lstrip("@")
        return lambda tags: any(fnmatch.fnmatchcase(tag, pattern) for tag in tags)

    predicate = parse_or()
    if peek() is not None:
        raise TagExpressionError(f"unexpected {peek()!r} in tag expression {expression!r}")
    return predicate


def _tokenize(expression: str) -> list[str]:
    tokens: list[str] = []
    index = 0
    while index < len(expression):
        if expression[index].isspace():
            index += 1
            continue
        match = TOKEN.match(expression, index)
        if match is None:
            raise TagExpressionError(f"cannot read tag expression {expression!r} at column {index + 1}")
        tokens.append(match.group(match.lastindex or 0))
        index = match.end()
    if not tokens:
        raise TagExpressionError("the tag expression is empty")
    return tokens


def tag_names(expression: str) -> list[str]:
    """The tag patterns an expression names (without the keywords and parentheses)."""
    return [token.lstrip("@") for token in _tokenize(expression) if token not in KEYWORDS and token not in "()"]


def unknown_tag_hints(expression: str, known: Collection[str]) -> list[str]:
    """For each name in ``expression`` that matches no known tag: the name and the nearest known tags."""
    hints: list[str] = []
    for name in tag_names(expression):
        if any(fnmatch.fnmatchcase(tag, name) for tag in known):
            continue
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
        hints.append(f"{name!r} matches no tag" + (f" (did you mean {', '.join(close)}?)" if close else ""))
    return hints
