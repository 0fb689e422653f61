"""Why no answer came, in words; and endpoints found unreachable are not waited on again."""

from __future__ import annotations

import re
import socket
import ssl
import threading
from collections.abc import Iterator

import httpx
import pytest

from spine_conformance.config.model import HttpConfig, TlsConfig
from spine_conformance.http import ExchangeLog, HarnessHttp, Reachability, TargetUnreachable
from spine_conformance.http.reachability import origin
from spine_conformance.http.transport_errors import CONNECT, UNANSWERED, describe_transport_error


def chained(outer: BaseException, inner: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (chained(httpx.ConnectError("x"), ConnectionRefusedError(111, "refused")), CONNECT, "connection refused"),
        (chained(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known")), CONNECT, "(DNS)"),
        (httpx.ConnectTimeout("x"), CONNECT, "no connection within 5 s"),
        (httpx.ReadTimeout("x"), UNANSWERED, "no complete answer within 5 s"),
        (chained(httpx.ReadError("x"), ConnectionResetError(104, "reset")), UNANSWERED, "reset"),
        (httpx.RemoteProtocolError("peer closed"), UNANSWERED, "closed the connection"),
    ],
)
def test_transport_errors_are_described_in_words(error: httpx.TransportError, kind: str, words: str) -> None:
    found_kind, sentence = describe_transport_error(error, 5)
    assert (found_kind, words in sentence) == (kind, True), sentence
    assert "Error" not in sentence  # no Python class names


def test_plain_http_behind_an_https_url_is_named() -> None:
    tls = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
    tls.reason = "WRONG_VERSION_NUMBER"
    _, sentence = describe_transport_error(chained(httpx.ConnectError("x"), tls), 5)
    assert sentence.startswith("the server answered plain HTTP")


def test_an_endpoint_that_refused_is_not_tried_again() -> None:
    registry = Reachability()
    registry.unreachable("https://p.example:8443/STU3/1/metadata", "https://p.example:8443: connection refused")
    with pytest.raises(
        TargetUnreachable, match=re.escape("not tried, because https://p.example:8443: connection refused")
    ):
        registry.refuse_if_down("https://p.example:8443/STU3/1/Slot")
    registry.refuse_if_down("https://other.example/STU3/1/Slot")  # another origin is unaffected


def test_an_endpoint_is_down_only_after_two_unanswered_requests_in_a_row() -> None:
    registry, url = Reachability(), "https://p.example/STU3/1/metadata"
    registry.unanswered(url, "no answer")
    registry.answered(url)
    registry.unanswered(url, "no answer")
    registry.refuse_if_down(url)
    registry.unanswered(url, "no answer")
    with pytest.raises(TargetUnreachable):
        registry.refuse_if_down(url)
    assert registry.down() == {origin(url): "no answer"}


def dripping_server(head: bytes) -> Iterator[int]:
    """Sends ``head`` at once, then one byte at a time, slowly: each read succeeds, the whole never ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(head)
            while not stop.wait(0.2):
                try:
                    connection.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()


@pytest.fixture(params=["body", "headers"])
def dripping(request: pytest.FixtureRequest) -> Iterator[int]:
    """Observed: a server sending one byte per second held one request for 546 s with timeout_s = 5."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" if request.param == "body" else b"HTTP/1.1 200 OK\r\nX: "
    )
    yield from dripping_server(head)


def test_a_dripping_answer_is_bounded_by_the_timeout_as_a_whole(dripping: int) -> None:
    client = HarnessHttp(TlsConfig(), HttpConfig(timeout_s=1.0), ExchangeLog())
    with pytest.raises(TargetUnreachable, match="no complete answer within 1 s"):
        client.send("GET", f"http://127.0.0.1:{dripping}/slow")
    client.close()
