"""What went wrong when no HTTP answer came, in words a tester understands (no class names)."""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

CERTIFICATE = "certificate"  # the server's certificate failed verification (TLS-01, the target's)
CONNECT = "connect"  # no connection at all: refused, unresolvable, unroutable, connect timeout
UNANSWERED = "unanswered"  # connected, but no complete answer: read timeout, reset, closed early


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    return next((e for e in _chain(exc) if isinstance(e, ssl.SSLCertVerificationError)), None)


def describe_transport_error(exc: httpx.TransportError, timeout_s: float) -> tuple[str, str]:
    """(kind, sentence) for a request that got no HTTP answer."""
    certificate = certificate_error(exc)
    if certificate is not None:
        return CERTIFICATE, f"TLS certificate verification failed: {certificate.verify_message or certificate}"
    chain = _chain(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return CONNECT, f"no connection within {timeout_s:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return UNANSWERED, f"no complete answer within {timeout_s:g} s"
    connect_failure = describe_connect_failure(exc, timeout_s)
    if connect_failure is not None:
        return CONNECT, connect_failure
    if isinstance(exc, httpx.ConnectError):
        return CONNECT, f"the connection could not be made ({_words(exc)})"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return UNANSWERED, "the connection was reset before the answer was complete"
    if isinstance(exc, httpx.RemoteProtocolError):
        return UNANSWERED, f"the server closed the connection without a complete HTTP answer ({_words(exc)})"
    return UNANSWERED, f"the exchange broke off ({_words(exc)})"


def describe_connect_failure(exc: BaseException, timeout_s: float) -> str | None:
    """The sentence for a connection that could not be made (or None when that is not the problem)."""
    chain = _chain(exc)
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "the host name could not be resolved (DNS)"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, TimeoutError | socket.timeout) for e in chain):
        return f"no connection within {timeout_s:g} s"
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if tls is not None and not isinstance(tls, ssl.SSLCertVerificationError):
        reason = (tls.reason or "").upper()
        if "WRONG_VERSION_NUMBER" in reason or "RECORD_LAYER_FAILURE" in reason or "HTTP_REQUEST" in reason:
            return "the server answered plain HTTP to an HTTPS request (is the URL's scheme right?)"
        return f"the TLS handshake failed ({tls.reason or tls})"
    unroutable = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL}
    if any(isinstance(e, OSError) and e.errno in unroutable for e in chain):
        return "the host cannot be reached (no route)"
    return None


def _words(exc: BaseException) -> str:
    text = str(exc).strip()
    return text[:200] if text else "no detail"
