"""Spine Secure Proxy conventions: URL concatenation and the four ``Ssp-*`` headers."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from spine_conformance.interactions import DEFAULT_SLOT_INTERACTION, Interaction

TRACE_ID = "Ssp-TraceID"
FROM = "Ssp-From"
TO = "Ssp-To"
INTERACTION_ID = "Ssp-InteractionID"
SSP_HEADERS = (TRACE_ID, FROM, TO, INTERACTION_ID)

ASID_PATTERN = re.compile(r"[0-9]{12}")
UUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def join_ssp_url(ssp_url: str, provider_url: str) -> str:
    """The SSP URL and the provider URL with exactly one '/' between them (BK-seed overview).

    An empty ``ssp_url`` means the provider is called directly.
    """
    if not ssp_url:
        return provider_url
    return ssp_url.rstrip("/") + "/" + provider_url.lstrip("/")


def split_ssp_url(url_path: str) -> str | None:
    """The provider URL carried in an SSP request path (``/https://host/...``), or None.

    The SSP receives ``/https://provider/...``; a doubled slash (``//https://``) or a missing
    one is a malformed concatenation, so only exactly one leading '/' is accepted.
    """
    if not url_path.startswith("/") or url_path.startswith("//"):
        return None
    candidate = url_path[1:]
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an unclosed IPv6 literal "[::1"
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or not candidate.startswith(parts.scheme + "://"):
        return None
    return candidate


def new_trace_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class SspIdentity:
    """Who calls whom: the consumer's ASID (Ssp-From) and the provider's ASID (Ssp-To)."""

    consumer_asid: str
    provider_asid: str
    slot_interaction: str = DEFAULT_SLOT_INTERACTION

    def headers(self, interaction: Interaction, trace_id: str | None = None) -> dict[str, str]:
        """The four Ssp-* headers for one request; a fresh trace ID unless one is given."""
        return {
            TRACE_ID: trace_id or new_trace_id(),
            FROM: self.consumer_asid,
            TO: self.provider_asid,
            INTERACTION_ID: interaction.interaction_id(self.slot_interaction),
        }


def is_uuid(value: str) -> bool:
    return bool(UUID_PATTERN.fullmatch(value))


def is_asid(value: str) -> bool:
    return bool(ASID_PATTERN.fullmatch(value))
