"""Processes the project's tests start: always stopped, each on its own, however the test ends.

``running`` starts a command and, in ``finally``, stops it (the given signal, then SIGKILL after a
grace period) and closes its pipes, so a failing assertion never leaves a server behind. Tests that
start several processes enter one ``running`` per process (``contextlib.ExitStack``): each is stopped
independently of the others.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Iterator, Sequence
from typing import Any

GRACE_SECONDS = 10.0


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = GRACE_SECONDS) -> None:
    """Stop ``process`` if it still runs (``sig``, then SIGKILL after ``grace`` seconds) and close its pipes."""
    try:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sig)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(grace)
    finally:
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@contextlib.contextmanager
def running(command: Sequence[str], **popen_options: Any) -> Iterator[subprocess.Popen]:
    """Start ``command`` with ``subprocess.Popen(**popen_options)``; stop it on leaving the block."""
    process = subprocess.Popen(list(command), **popen_options)
    try:
        yield process
    finally:
        stop_process(process)
