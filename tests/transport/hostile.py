"""Hostile targets on 127.0.0.1: one that answers with non-HTTP bytes, one whose every answer is 50 MB.

The huge one is a conformant test target (style ``json``) whose bodies are followed by 50 MB of spaces
(JSON stays valid: trailing whitespace is allowed), streamed so the test process never holds them; its
provider-state endpoint answers normally (that is the setup interface, not the API under test).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from tests.targets.app import STATE_PATH, TargetApp
from tests.targets.http_server import Response, TargetHTTPServer, _Handler
from tests.targets.server import Target, serving
from tests.targets.styles import STYLES

HUGE_BYTES = 50 * 1024 * 1024
CHUNK = b" " * (1024 * 1024)
GARBAGE = b"SSH-2.0-OpenSSH_9.6\r\n"
STOP_TIMEOUT = 5.0


class _HugeHandler(_Handler):
    """Writes each answer's body followed by ``HUGE_BYTES`` of spaces (Content-Length covers them)."""

    def _write(self, response: Response) -> None:
        bodyless = response.status in (204, 304) or not response.body
        if self.path.startswith(STATE_PATH) or bodyless:
            super()._write(response)
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body) + HUGE_BYTES))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            self.wfile.write(response.body)
            for _ in range(HUGE_BYTES // len(CHUNK)):
                self.wfile.write(CHUNK)
        except OSError:  # the client read what it wanted and closed the connection
            self.close_connection = True


class _HugeServer(TargetHTTPServer):
    def __init__(self, address: tuple[str, int], application: TargetApp) -> None:
        ThreadingHTTPServer.__init__(self, address, _HugeHandler)
        self.application = application

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose


@contextmanager
def serve_huge_target() -> Iterator[Target]:
    """A conformant target whose every API answer carries 50 MB more body."""
    app = TargetApp(STYLES["json"], None)
    server = _HugeServer(("127.0.0.1", 0), app)
    with serving(server, f"http://127.0.0.1:{server.server_address[1]}") as target:
        yield target


@contextmanager
def serve_garbage() -> Iterator[str]:
    """A server answering every connection with a non-HTTP line, then closing; yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.sendall(GARBAGE)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stopping.set()
        thread.join(STOP_TIMEOUT)
        listener.close()
