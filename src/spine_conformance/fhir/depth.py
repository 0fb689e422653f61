"""How deeply a JSON value nests, measured without recursion (so hostile input cannot exhaust the stack).

Real FHIR resources nest a dozen levels or so; a resource nested deeper than
:data:`MAX_NESTING` is refused as invalid before any model or rule walks it recursively.
"""

from __future__ import annotations

from typing import Any

MAX_NESTING = 64


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether ``value`` (decoded JSON) has objects or arrays nested more than ``limit`` levels deep."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
