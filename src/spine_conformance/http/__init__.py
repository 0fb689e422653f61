"""The harness's HTTP client: TLS from configuration, capped bodies, every exchange recorded."""

from spine_conformance.http.client import (
    HarnessHttp,
    HttpResponse,
    ResponseNotJson,
    TargetUnreachable,
    tls_context,
)
from spine_conformance.http.exchange import Exchange, ExchangeLog
from spine_conformance.http.reachability import Reachability

__all__ = [
    "Exchange",
    "ExchangeLog",
    "HarnessHttp",
    "HttpResponse",
    "Reachability",
    "ResponseNotJson",
    "TargetUnreachable",
    "tls_context",
]
