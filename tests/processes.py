"""Processes the project's tests start: always stopped, each on its own, however the test ends.

``running`` starts a command and, in ``finally``, stops it (the given signal, then SIGKILL after a
grace period) and closes its pipes, so a failing assertion never leaves a server behind. Tests that
start several processes enter one ``running`` per process (``contextlib.ExitStack``): each is stopped
independently of the others. ``run_bounded`` is ``subprocess.run`` for commands that start children of
their own (a browser, ``run -- -n 2``): the command gets its own process group, and whatever of that
group is left when it ends, times out or is interrupted is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
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
def running(
    command: Sequence[str], *, grace: float = GRACE_SECONDS, **popen_options: Any
) -> Iterator[subprocess.Popen]:
    """Start ``command`` with ``subprocess.Popen(**popen_options)``; stop it on leaving the block."""
    process = subprocess.Popen(list(command), **popen_options)
    try:
        yield process
    finally:
        stop_process(process, grace=grace)


def processes_marked(marker: str) -> list[int]:
    """Live (not zombie) processes whose environment holds ``marker``: what a test left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
    return found


def run_bounded(
    command: Sequence[str], *, timeout: float, input: str | None = None, **popen_options: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` (text, output captured) in its own process group; kill the whole group when done."""
    process = subprocess.Popen(
        list(command), stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True, **popen_options,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(input, timeout=timeout)
    except BaseException:
        _kill_group(process.pid)
        process.communicate()
        raise
    finally:
        _kill_group(process.pid)  # children the command left behind
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def banner_lines(process: subprocess.Popen, until: str = "Ctrl+C", deadline_seconds: float = 30) -> list[str]:
    """The lines a server prints up to the one containing ``until``; the process is killed past the deadline."""
    lines: list[str] = []
    timer = threading.Timer(deadline_seconds, process.kill)
    timer.start()
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if until in line:
                break
    finally:
        timer.cancel()
    return lines
