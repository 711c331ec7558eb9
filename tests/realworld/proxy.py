"""A recording HTTP proxy on 127.0.0.1 in front of a target: arrival times, methods, paths and statuses.

It can also play a busy shared server: ``throttle(n, retry_after)`` answers the next ``n`` requests whose
path contains a marker with ``429 Too Many Requests`` and ``Retry-After`` instead of forwarding them.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

UPSTREAM_TIMEOUT = 15.0
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


@dataclass(frozen=True)
class Seen:
    """One request the proxy received."""

    at: float
    method: str
    path: str
    status: int


@dataclass
class Recording:
    """What the proxy saw, and its 429 plan."""

    seen: list[Seen] = field(default_factory=list)
    throttle_left: int = 0
    throttle_marker: str = ""
    retry_after: str | None = "1"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def throttle(self, count: int, retry_after: str | None = "1", marker: str = "/reject/") -> None:
        """Answer the next ``count`` requests whose path contains ``marker`` with 429."""
        with self.lock:
            self.throttle_left, self.retry_after, self.throttle_marker = count, retry_after, marker

    def take_throttle(self, path: str) -> bool:
        with self.lock:
            if self.throttle_left > 0 and self.throttle_marker in path:
                self.throttle_left -= 1
                return True
            return False

    def add(self, seen: Seen) -> None:
        with self.lock:
            self.seen.append(seen)

    def snapshot(self) -> list[Seen]:
        with self.lock:
            return list(self.seen)

    def clear(self) -> None:
        with self.lock:
            self.seen.clear()


def _handler(upstream: str, recording: Recording) -> type[BaseHTTPRequestHandler]:
    parts = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _forward(self) -> None:
            arrived = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if recording.take_throttle(self.path):
                payload = b'{"detail": "Too many requests"}'
                self.send_response(429)
                if recording.retry_after is not None:
                    self.send_header("Retry-After", recording.retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                recording.add(Seen(arrived, self.command, self.path, 429))
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=UPSTREAM_TIMEOUT)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(content)
                recording.add(Seen(arrived, self.command, self.path, answer.status))
            finally:
                connection.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A client closing its kept-alive connection is normal: no traceback for it."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def recording_proxy(upstream: str) -> Iterator[tuple[str, Recording]]:
    """Serve a proxy to ``upstream`` on a free loopback port; yield its base URL and recording."""
    recording = Recording()
    server = _QuietServer(("127.0.0.1", 0), _handler(upstream, recording))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recording
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
