"""The reference's waitress channel still delivers every byte: large, streamed and over-the-watermark answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from waitress.server import create_server

from conformance.reference.channel import TaskFlushedChannel
from conformance.reference.server import stop_waitress

CHUNK = b"x" * 65536


@contextmanager
def _serving(app, channel_class: type = TaskFlushedChannel, threads: int = 2, **adjustments) -> Iterator[Any]:
    """Serve ``app`` on a free loopback port with ``channel_class``; yield the waitress server."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, **adjustments)
    server.channel_class = channel_class
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop_waitress(server, thread)


def _streaming(chunks: int):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return (CHUNK for _ in range(chunks))

    return app


@pytest.mark.parametrize(
    ("chunks", "adjustments"),
    [(1, {}), (128, {}), (64, {"outbuf_high_watermark": 100_000})],  # 64 KiB, 8 MiB, 4 MiB over a 100 KB mark
    ids=["small", "larger-than-socket-buffers", "over-the-high-watermark"],
)
def test_every_byte_arrives_on_keep_alive_connections(chunks, adjustments):
    with _serving(_streaming(chunks), **adjustments) as server, requests.Session() as session:
        for _ in range(3):  # the same connection serves the next request after a flushed answer
            answer = session.get(f"http://127.0.0.1:{server.effective_port}/", timeout=10)
            assert answer.status_code == 200
            assert len(answer.content) == chunks * len(CHUNK)


def test_the_loop_is_not_asked_to_write_while_a_worker_still_serves():
    """Output the worker could not send yet waits for the worker, instead of making the event loop spin."""
    entered, release = threading.Event(), threading.Event()
    channels = []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        yield CHUNK * 128  # 8 MiB: more than the socket buffers hold while the client does not read yet
        entered.set()
        release.wait(5)
        yield b"end"

    class Remembering(TaskFlushedChannel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            channels.append(self)

    with _serving(app, Remembering, threads=1) as server, socket.create_connection(
        ("127.0.0.1", server.effective_port), timeout=10
    ) as client:
        try:
            client.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            assert entered.wait(5)
            assert channels[0].total_outbufs_len > 0
            assert not channels[0].writable()  # waitress's own HTTPChannel says True here: the loop spins
            release.set()
            received = b"".join(iter(lambda: client.recv(1 << 20), b""))
        finally:
            release.set()
    assert received.endswith(b"\r\n3\r\nend\r\n0\r\n\r\n")  # every chunk arrived, the last one too
