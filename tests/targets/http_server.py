"""HTTP plumbing on the standard library: a threading server whose handler turns every request
into a plain ``Request``, asks the application for a ``Response``, and writes it back.

No routing or business rules live here; see ``app.py``.
"""

from __future__ import annotations

import http.cookies
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

MAX_BODY_BYTES = 1 << 20


@dataclass(frozen=True)
class Request:
    """A request as the application sees it: raw (still percent-encoded) path, parsed query."""

    method: str
    path: str
    query: Mapping[str, str]
    query_string: str
    headers: Message
    cookies: Mapping[str, str]
    body: bytes


@dataclass
class Response:
    """A response to write: status, headers (in order) and body bytes."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


Application = Callable[[Request], Response]


class TargetHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one application callable."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], application: Application) -> None:
        super().__init__(address, _Handler)
        self.application = application


class _Handler(BaseHTTPRequestHandler):
    """Dispatches every method (known or not) to the application; never logs (no secrets)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "crux-target/1"
    sys_version = ""
    timeout = 15
    server: TargetHTTPServer

    def __getattr__(self, name: str) -> Callable[[], None]:
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, format: str, *args: object) -> None:
        return

    def _dispatch(self) -> None:
        body = self._read_body()
        if body is None:
            return
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            query_string=split.query,
            headers=self.headers,
            cookies=_parse_cookies(self.headers.get_all("Cookie") or []),
            body=body,
        )
        self._write(self.server.application(request))

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length") or "0"
        try:
            length = int(length_text)
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return None
        if length < 0 or length > MAX_BODY_BYTES:
            self.send_error(400, "Bad Content-Length")
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                self.send_error(400, "Bad chunked body")
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self.send_error(400, "Body too large")
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        bodyless = response.status in (204, 304) or 100 <= response.status < 200
        if not bodyless:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and not bodyless:
            self.wfile.write(response.body)


def _parse_cookies(headers: list[str]) -> dict[str, str]:
    jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    for header in headers:
        try:
            jar.load(header)
        except http.cookies.CookieError:
            continue
    return {name: morsel.value for name, morsel in jar.items()}
