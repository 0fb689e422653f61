"""Small HTTPS servers written in the tests from the published specifications alone.

They share no code with the demonstrator (only the standard library and trustme for a CA), so a
rule the demonstrator and the suite both read wrongly would show up against them.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme


@dataclass(frozen=True)
class Running:
    origin: str  # https://localhost:PORT
    ca_path: Path


class JsonHandler(BaseHTTPRequestHandler):
    """Helpers for answering JSON; subclasses implement do_GET/do_POST/do_PUT."""

    protocol_version = "HTTP/1.1"

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def answer(
        self,
        status: int,
        body: Any = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # quiet: pytest shows failures itself
        pass


@contextmanager
def https_server(handler: type[BaseHTTPRequestHandler], directory: Path) -> Iterator[Running]:
    """Serve ``handler`` over TLS on a free loopback port, with a CA made for it in ``directory``."""
    ca = trustme.CA()
    ca_path = directory / "independent-ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(f"https://localhost:{server.server_address[1]}", ca_path)
    finally:
        server.shutdown()
        server.server_close()
