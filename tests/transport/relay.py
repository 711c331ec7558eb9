"""Raw-socket HTTP helpers on 127.0.0.1 that log request lines byte for byte: a recording relay and a logging proxy.

``RecordingRelay`` is an origin server: it logs each request line exactly as received and answers by
forwarding the request, target unchanged, to an upstream target (or with a JSON 404 when there is none).
``LoggingProxy`` is an HTTP proxy: it logs absolute-form request lines and ``CONNECT`` lines, forwards
plain requests (target turned into origin-form textually, nothing re-encoded) and tunnels ``CONNECT``,
optionally mapping a host name no resolver knows onto a loopback port (a target reachable only through it).
Every socket has a timeout and every thread is joined on stop.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT = 15.0
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
NOT_FOUND = b'{"detail": "Not found."}'


@dataclass
class Log:
    """Request lines as received (latin-1 decoded, so every byte maps to one character)."""

    lines: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)

    def snapshot(self) -> list[str]:
        with self.lock:
            return list(self.lines)

    def targets(self) -> list[str]:
        """The request targets (second word of each request line)."""
        return [line.split(" ")[1] for line in self.snapshot() if line.count(" ") >= 2]


def _read_head(stream) -> tuple[str, list[tuple[str, str]]] | None:
    line = stream.readline(65536 + 100)
    if not line:
        return None
    headers = []
    while True:
        header = stream.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    return line.decode("latin-1").rstrip("\r\n"), headers


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _forward(host: str, port: int, method: str, target: str, headers, body: bytes) -> bytes:
    """Send the request to ``host:port`` with ``target`` exactly as given; return the whole raw answer."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                connection.putheader(name, value)
        connection.endheaders(body or None)
        answer = connection.getresponse()
        content = answer.read()
        lines = [f"HTTP/1.1 {answer.status} {answer.reason}"]
        lines += [f"{n}: {v}" for n, v in answer.getheaders() if n.lower() not in HOP_BY_HOP | {"content-length"}]
        lines.append(f"Content-Length: {len(content)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content
    finally:
        connection.close()


def _not_found() -> bytes:
    head = f"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {len(NOT_FOUND)}\r\n\r\n"
    return head.encode() + NOT_FOUND


class _Server:
    """Accepts connections on a free loopback port and hands each to ``handle`` in its own thread."""

    def __init__(self) -> None:
        self.log = Log()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            connection.settimeout(TIMEOUT)
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            self.handle(connection)
        except OSError:
            pass
        finally:
            connection.close()

    def handle(self, connection: socket.socket) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def start(self) -> None:
        self._accepter.start()

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):  # wakes the accept() now, not at its next 0.2 s timeout
            self._listener.shutdown(socket.SHUT_RDWR)
        self._accepter.join(TIMEOUT)
        self._listener.close()
        for thread in self._threads:
            thread.join(1.0)


class RecordingRelay(_Server):
    """An origin server logging every request line; forwards to ``upstream`` (``http://host:port``) or answers 404."""

    def __init__(self, upstream: str | None = None) -> None:
        super().__init__()
        self.upstream = urlsplit(upstream) if upstream else None
        self.base_url = f"http://127.0.0.1:{self.port}"

    def handle(self, connection: socket.socket) -> None:
        stream = connection.makefile("rb")
        while (head := _read_head(stream)) is not None:
            line, headers = head
            self.log.add(line)
            method, target = line.split(" ")[:2]
            body = stream.read(int(_header(headers, "content-length") or 0))
            if self.upstream is None:
                connection.sendall(_not_found())
            else:
                headers = [(n, v) for n, v in headers if n.lower() != "host"] + [("Host", self.upstream.netloc)]
                answer = _forward(self.upstream.hostname, self.upstream.port, method, target, headers, body)
                connection.sendall(answer)


class LoggingProxy(_Server):
    """An HTTP proxy logging request lines (absolute-form and CONNECT); ``hosts`` maps names to loopback ports."""

    def __init__(self, hosts: dict[str, int] | None = None) -> None:
        super().__init__()
        self.hosts = dict(hosts or {})
        self.url = f"http://127.0.0.1:{self.port}"

    def _address(self, authority: str) -> tuple[str, int]:
        host, _, port = authority.rpartition(":")
        if host in self.hosts:
            return "127.0.0.1", self.hosts[host]
        return host, int(port)

    def handle(self, connection: socket.socket) -> None:
        stream = connection.makefile("rb")
        while (head := _read_head(stream)) is not None:
            line, headers = head
            self.log.add(line)
            method, target = line.split(" ")[:2]
            if method == "CONNECT":
                self._tunnel(connection, stream, target)
                return
            body = stream.read(int(_header(headers, "content-length") or 0))
            scheme_end = target.index("://") + 3
            path_start = target.find("/", scheme_end)
            authority = target[scheme_end : path_start if path_start >= 0 else None]
            origin_form = target[path_start:] if path_start >= 0 else "/"
            host, port = self._address(authority if ":" in authority else authority + ":80")
            headers = [(n, v) for n, v in headers if n.lower() not in ("proxy-authorization",)]
            connection.sendall(_forward(host, port, method, origin_form, headers, body))

    def _tunnel(self, client: socket.socket, stream, authority: str) -> None:
        upstream = socket.create_connection(self._address(authority), timeout=TIMEOUT)
        try:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")  # the client waits for it to send more
            pump = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
            pump.start()
            _pipe(client, upstream)
            pump.join(TIMEOUT)
        finally:
            upstream.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@contextmanager
def recording_relay(upstream: str | None = None) -> Iterator[RecordingRelay]:
    """A running ``RecordingRelay`` until the block ends."""
    relay = RecordingRelay(upstream)
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()


@contextmanager
def logging_proxy(hosts: dict[str, int] | None = None) -> Iterator[LoggingProxy]:
    """A running ``LoggingProxy`` until the block ends."""
    proxy = LoggingProxy(hosts)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
