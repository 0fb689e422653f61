"""One HTTP request and its response (or the error instead), kept as evidence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from spine_conformance.tokens import MalformedToken, bearer_token, decode_unverified

# Evidence keeps at most this much of each body; the rest is summarised.
EVIDENCE_BODY_LIMIT = 64 * 1024


@dataclass
class Exchange:
    label: str
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    started: float
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    elapsed_s: float = 0.0
    error: str = ""
    interaction: str = ""
    # TLS scenarios: the certificates presented on the connection (http.certificates.CertificateInfo).
    certificates: list[dict[str, Any]] = field(default_factory=list)

    def decoded_token(self) -> dict[str, Any] | None:
        """The bearer JWT this request carried, decoded (redaction masks its personal claims)."""
        for name, value in self.request_headers:
            if name.lower() == "authorization":
                try:
                    token = decode_unverified(bearer_token(value))
                except MalformedToken as problem:
                    return {"malformed": str(problem)}
                return {"header": token.header, "claims": token.claims, "signature_length": len(token.signature)}
        return None

    def as_dict(self) -> dict[str, Any]:
        certificates = {"certificates": self.certificates} if self.certificates else {}
        return certificates | {
            "token": self.decoded_token(),
            "label": self.label,
            "interaction": self.interaction,
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": [list(pair) for pair in self.request_headers],
                "body": _body_text(self.request_body),
            },
            "response": None
            if self.status is None
            else {
                "status": self.status,
                "headers": [list(pair) for pair in self.response_headers],
                "body": _body_text(self.response_body),
            },
            "elapsed_s": round(self.elapsed_s, 6),
            "error": self.error,
        }


def _body_text(body: bytes) -> dict[str, Any]:
    """The body as text the redactor can read; a body that is not UTF-8 is summarised, never encoded.

    (Base64 would hide identifiers from redaction, so binary content is kept only as its digest.)
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        digest = hashlib.sha256(body).hexdigest()
        return {
            "text": f"(binary body, {len(body)} bytes, sha256 {digest})",
            "encoding": "binary",
            "size": len(body),
            "truncated": True,
        }
    shown = body[:EVIDENCE_BODY_LIMIT].decode("utf-8", errors="ignore")  # the cut may split a character
    return {"text": shown, "encoding": "utf-8", "size": len(body), "truncated": len(body) > EVIDENCE_BODY_LIMIT}


@dataclass
class ExchangeLog:
    """The exchanges of one scenario, in order."""

    exchanges: list[Exchange] = field(default_factory=list)

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)

    def as_list(self) -> list[dict[str, Any]]:
        return [exchange.as_dict() for exchange in self.exchanges]


class UnkeptLog(ExchangeLog):
    """Keeps nothing: for bulk traffic (load), where an exchange is kept only as a failed check's evidence."""

    def add(self, exchange: Exchange) -> None:
        pass
