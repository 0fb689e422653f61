"""Targets that misbehave on purpose, on loopback: each a small raw-socket server doing one bad thing.

They are written against sockets, not a web framework, so they can break HTTP itself (drip,
truncate, reset, never answer) as a real broken or hostile system would.
"""

from __future__ import annotations

import datetime
import json
import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme

Behaviour = Callable[[socket.socket], None]
STOP = threading.Event()  # set when a server shuts down: drips and stalls end with it


def _request_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def answer(status: str, body: bytes, content_type: str = "application/fhir+json", extra: str = "") -> Behaviour:
    def behave(conn: socket.socket) -> None:
        _request_head(conn)
        head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}"
        conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)

    return behave


def never_answers(conn: socket.socket) -> None:
    _request_head(conn)
    STOP.wait(120)


def drips(conn: socket.socket) -> None:
    _request_head(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not STOP.wait(0.3):
        conn.sendall(b"x")


def huge(size: int) -> Behaviour:
    def behave(conn: socket.socket) -> None:
        _request_head(conn)
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: {size}\r\n\r\n".encode()
        )
        block = b" " * 65536
        for _ in range(size // len(block)):
            conn.sendall(block)

    return behave


def truncated(conn: socket.socket) -> None:
    _request_head(conn)
    conn.sendall(
        b'HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n{"resourceType": "Capa'
    )


def resets(conn: socket.socket) -> None:
    _request_head(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # close → RST


def redirect_loop(conn: socket.socket) -> None:
    answer("302 Found", b"", "text/plain", "Location: /STU3/1/metadata\r\n")(conn)


def deeply_nested() -> bytes:
    return b'{"resourceType": "CapabilityStatement", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"


BEHAVIOURS: dict[str, Behaviour] = {
    "never answers": never_answers,
    "drips its headers": drips,
    "answers plain HTML": answer("200 OK", b"<html><body>Welcome</body></html>", "text/html"),
    "answers JSON as text/plain": answer(
        "200 OK", json.dumps({"resourceType": "CapabilityStatement"}).encode(), "text/plain"
    ),
    "answers 10 MB": huge(10 * 1024 * 1024),
    "answers 200 MB": huge(200 * 1024 * 1024),
    "truncates its body": truncated,
    "resets the connection": resets,
    "answers an HTML 500": answer("500 Internal Server Error", b"<h1>Oops</h1>", "text/html"),
    "redirects to itself": redirect_loop,
    "nests its JSON 5000 deep": answer("200 OK", deeply_nested()),
}


@dataclass(frozen=True)
class Target:
    base_url: str
    ca_path: Path


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serve(behaviour: Behaviour | None, directory: Path, *, tls: str = "good") -> Iterator[Target]:
    """Serve ``behaviour`` (None: accept TCP and never start TLS) with a certificate that is ``tls``:
    good, untrusted (another CA), wrong-host, expired, or plain (no TLS at all)."""
    ca = trustme.CA()
    ca_path = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if tls == "untrusted":
        trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    elif tls == "wrong-host":
        ca.issue_cert("elsewhere.invalid").configure_cert(context)
    elif tls == "expired":
        past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
        ca.issue_cert("127.0.0.1", not_before=past - datetime.timedelta(days=30), not_after=past).configure_cert(
            context
        )
    else:
        ca.issue_cert("127.0.0.1").configure_cert(context)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            conn: socket.socket = self.request
            if behaviour is None:  # a TCP listener that never speaks TLS
                STOP.wait(120)
                return
            try:
                if tls != "plain":
                    conn = context.wrap_socket(conn, server_side=True)
                behaviour(conn)
            except (OSError, ssl.SSLError):
                pass  # the harness hung up: that is its right

    STOP.clear()
    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Target(f"https://127.0.0.1:{server.server_address[1]}/STU3/1", ca_path)
    finally:
        STOP.set()
        server.shutdown()
        server.server_close()
