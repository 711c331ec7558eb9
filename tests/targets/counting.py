"""A loopback HTTP server that answers 404 to everything and counts what it received, for "no request sent"."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.targets.server import served


class _Counting(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        body = b'{"detail": "Not found."}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """Yield ``(base_url, seen)``: every request's ``METHOD PATH`` lands in ``seen``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.seen = []  # type: ignore[attr-defined]
    with served(server) as url:
        yield url, server.seen  # type: ignore[attr-defined]
