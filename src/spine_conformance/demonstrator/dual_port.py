"""One port speaking both TLS and plain HTTP: the fault mode ``plain-http-served`` (TLS-04).

A conformant provider's HTTPS port never serves plain HTTP. Under the fault, the provider's public
port peeks at the first byte of each connection: a TLS handshake (0x16) is passed, untouched, to
the provider's TLS server, anything else to a plain-HTTP server of the same application. Bytes are
only relayed, never read, so TLS is still end to end between the client and the provider.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading

TLS_HANDSHAKE = 0x16  # the first byte of a TLS record carrying a handshake (ClientHello)
FIRST_BYTE_WAIT_S = 10.0
CHUNK = 64 * 1024


class DualProtocolPort:
    def __init__(self, tls_port: int, plain_port: int) -> None:
        self.tls_port = tls_port
        self.plain_port = plain_port
        # Bound now, so the port is known (and connections queue) before the relay starts.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dual-protocol-port", daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def start(self, deadline_s: float = 10.0) -> None:
        self._thread.start()
        if not self._started.wait(deadline_s):
            raise RuntimeError("the dual-protocol port did not start")

    def stop(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self.sock.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._relay, sock=self.sock))
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            pending = asyncio.all_tasks(self._loop)
            for task in pending:  # relays still open when the demonstrator stops
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            first = await asyncio.wait_for(client_reader.read(1), FIRST_BYTE_WAIT_S)
            if not first:
                return
            port = self.tls_port if first[0] == TLS_HANDSHAKE else self.plain_port
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", port)
            server_writer.write(first)
            await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))
        except (OSError, TimeoutError):
            pass  # a client that went away, or never spoke: nothing to relay
        finally:
            with contextlib.suppress(OSError):
                client_writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(CHUNK):
            writer.write(chunk)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            writer.close()
