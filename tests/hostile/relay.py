"""A relay on 127.0.0.1 in front of a real target that answers slowly, or stops answering after N requests.

It forwards each request unchanged (method, raw path, headers, ``Host`` included, so the target's absolute
redirects point back at the relay, body) to the upstream target with ``http.client`` and writes the
upstream's answer back, after ``delay`` seconds. Past ``answer_first`` requests it holds each connection
open without answering, until the relay is stopped. The hostile-target tests use it, and
``benchmarks/bench_run.py --latency-ms`` plays the common staging case (a server tens of ms away) with it.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

UPSTREAM_TIMEOUT = 30.0
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


class RelayServer(ThreadingHTTPServer):
    """The relay's server: where to forward, how slowly, and how many requests it still answers."""

    daemon_threads = True

    def __init__(self, upstream: str, delay: float, answer_first: int | None) -> None:
        super().__init__(("127.0.0.1", 0), _RelayHandler)
        self.upstream = urlsplit(upstream)
        self.delay = delay
        self.answer_first = answer_first
        self.received = 0
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """The relay's base URL."""
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RelayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RelayServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _relay(self) -> None:
        server = self.server
        with server.lock:
            server.received += 1
            answering = server.answer_first is None or server.received <= server.answer_first
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not answering:
            server.stopping.wait()  # hold the connection: the client's read timeout decides
            self.close_connection = True
            return
        if server.stopping.wait(server.delay):
            return
        upstream = http.client.HTTPConnection(server.upstream.hostname, server.upstream.port, timeout=UPSTREAM_TIMEOUT)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            upstream.endheaders(body or None)
            answer = upstream.getresponse()
            payload = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _relay


@contextmanager
def relay(upstream: str, *, delay: float = 0.0, answer_first: int | None = None) -> Iterator[RelayServer]:
    """Run a relay to ``upstream`` for the block; stop it (and release held connections) afterwards."""
    server = RelayServer(upstream, delay, answer_first)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
