"""Start a target on a free 127.0.0.1 port in a background thread, with bounded start and stop."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conformance.config_writer import render_config
from tests.targets.app import STATE_PATH, TargetApp
from tests.targets.faults import FAULTS
from tests.targets.http_server import TargetHTTPServer
from tests.targets.styles import STYLES

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 5.0
STOP_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Target:
    """A running target: where it listens and the secrets for every role (never print these)."""

    base_url: str
    state_url: str
    credentials: dict[str, str]
    style: str
    fault: str | None

    def __repr__(self) -> str:
        return f"Target(base_url={self.base_url!r}, style={self.style!r}, fault={self.fault!r})"

    def config_toml(self) -> str:
        """A conformance.toml for this target in CONTRACT.md's format, secrets as literals."""
        return render_config(self.base_url, self.credentials, {"mode": "state-url", "state_url": self.state_url})

    def write_config(self, directory: Path) -> Path:
        """Write ``conformance.toml`` into a directory and return its path."""
        path = Path(directory) / "conformance.toml"
        path.write_text(self.config_toml(), encoding="utf-8")
        return path


@contextmanager
def serve_target(style: str = "json", fault: str | None = None) -> Iterator[Target]:
    """Serve one target (a conformant style, optionally with one fault) until the block ends."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; known: {', '.join(STYLES)}")
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}")
    app = TargetApp(STYLES[style], fault)
    server = TargetHTTPServer((HOST, 0), app)
    with served(server, name=f"target-{style}-{fault or 'clean'}") as base_url:
        _wait_until_listening(server.server_address[1])
        yield Target(
            base_url=base_url,
            state_url=base_url + STATE_PATH,
            credentials=app.accounts.credentials(),
            style=style,
            fault=fault,
        )


@contextmanager
def serving(server: TargetHTTPServer, base_url: str, style: str = "json", fault: str | None = None) -> Iterator[Target]:
    """Serve ``server`` (already bound, its ``RequestHandlerClass`` holding the app) until the block ends.

    For targets built with another server class or socket (TLS, huge bodies): the same thread, the same
    ``Target`` and the same bounded stop as ``serve_target``.
    """
    with served(server):
        app = server.application
        yield Target(base_url, base_url + STATE_PATH, app.accounts.credentials(), style, fault)


@contextmanager
def served(server: socketserver.BaseServer, name: str = "test-server") -> Iterator[str]:
    """Serve any bound loopback HTTP ``server`` from a thread until the block ends; yield its base URL.

    Every small server a test writes goes through here: a short poll, so stopping is quick, and a bounded stop.
    """
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"{name}-{port}",
                              daemon=True)  # fmt: skip
    thread.start()
    try:
        yield f"http://{HOST}:{port}"
    finally:
        _stop(server, thread)


def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"target on port {port} did not listen within {START_TIMEOUT_SECONDS}s") from None
            time.sleep(0.02)


def _stop(server: socketserver.BaseServer, thread: threading.Thread) -> None:
    stopper = threading.Thread(target=server.shutdown, daemon=True)
    stopper.start()
    stopper.join(STOP_TIMEOUT_SECONDS)
    server.server_close()
    thread.join(STOP_TIMEOUT_SECONDS)
