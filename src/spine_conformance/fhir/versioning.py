"""FHIR version-aware updates: versionId, the weak ETag that carries it, and If-Match values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def version_of(resource: Mapping[str, Any]) -> str:
    return str((resource.get("meta") or {}).get("versionId", ""))


def weak_etag(version: int | str) -> str:
    return f'W/"{version}"'


def if_match_for(etag: str | None, resource: Mapping[str, Any]) -> str:
    """The If-Match to update ``resource`` with: the ETag as read or, if none was sent, its versionId."""
    return etag or weak_etag(version_of(resource))
