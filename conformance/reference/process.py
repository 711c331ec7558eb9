"""Run the bundled reference in its own process (the ``serve`` command) so it and the checks use two cores.

In the ``run`` command's process, the reference's Django views and the checks, the fuzz stage and the
reports would share one interpreter lock. ``start_reference_process`` starts ``python -m
conformance.reference --port 0 --write-config FILE`` instead, lets the caller do its own start-up work
while the child migrates and seeds (``while_starting``), waits (bounded) until the child says where it
listens, and yields the ready config. Leaving the ``with`` block stops the child: SIGTERM (the server's
clean stop), then SIGKILL after a bound; should this process die without that, the child stops by itself
when its standard input (a pipe only this process holds) closes. The config file holds the reference's
test credentials and lives in a private temporary folder removed on exit; the child's output is never echoed.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conformance.errors import TargetError

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 5.0
READY_MARK = "crux-conformance reference listening on "


@dataclass(frozen=True)
class ReferenceProcess:
    """A reference serving in a child process: its address, its ready config and the child's pid."""

    base_url: str
    config_toml: str
    pid: int


@contextmanager
def start_reference_process(
    provider_states: bool = True,
    *,
    while_starting: Callable[[], object] | None = None,
    start_timeout: float = START_TIMEOUT_SECONDS,
) -> Iterator[ReferenceProcess]:
    """Start the reference in a child process on a free loopback port; yield it once it accepts requests.

    ``while_starting`` runs in this process while the child starts (e.g. importing what the run needs).
    TargetError (exit 2) with one line when the child exits or stays silent past ``start_timeout``.
    """
    with tempfile.TemporaryDirectory(prefix="crux-reference-") as folder:
        config_path = Path(folder) / "reference.toml"
        log_path = Path(folder) / "reference.log"
        command = [sys.executable, "-m", "conformance.reference", "--host", "127.0.0.1", "--port", "0"]
        command += ["--write-config", str(config_path), "--stop-when-stdin-closes"]
        command += ["--provider-states"] if provider_states else []
        with open(log_path, "wb") as log:  # stdin: a pipe only we hold, closed when we exit however we exit
            child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        try:
            banner = _BannerWatch(child)
            if while_starting is not None:
                while_starting()
            base_url = banner.wait(start_timeout, log_path)
            yield ReferenceProcess(base_url, config_path.read_text(encoding="utf-8"), child.pid)
        finally:
            _stop(child)


class _BannerWatch:
    """Reads the child's stdout in a daemon thread (so its pipe never fills) and notes the listening line."""

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        self._child = child
        self._ready = threading.Event()
        self.base_url = ""
        threading.Thread(target=self._read, name=f"crux-reference-{child.pid}-stdout", daemon=True).start()

    def _read(self) -> None:
        assert self._child.stdout is not None
        for raw in self._child.stdout:
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith(READY_MARK) and not self._ready.is_set():
                self.base_url = line[len(READY_MARK) :].strip()
                self._ready.set()
        self._ready.set()  # end of output: the child exited (wait() tells which case)

    def wait(self, timeout: float, log_path: Path) -> str:
        """The base URL once the child listens; TargetError when it exits or times out first."""
        deadline = time.monotonic() + timeout
        if not self._ready.wait(max(0.0, deadline - time.monotonic())):
            raise TargetError(f"the bundled reference did not start within {timeout:.0f} s")
        if not self.base_url:
            code = self._child.wait(STOP_TIMEOUT_SECONDS)
            raise TargetError(f"the bundled reference exited with {code} at start: {_last_line(log_path)}")
        return self.base_url


def _last_line(log_path: Path) -> str:
    """The last non-empty line the child wrote to stderr (its one-line error), or a placeholder."""
    with contextlib.suppress(OSError):
        lines = [line.strip() for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return lines[-1][:300]
    return "no error output"


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM, wait, SIGKILL, wait: the child is gone when this returns (each step bounded)."""
    if child.stdin is not None:
        with contextlib.suppress(OSError):
            child.stdin.close()
    if child.poll() is None:
        with contextlib.suppress(OSError):
            child.terminate()
        try:
            child.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                child.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(STOP_TIMEOUT_SECONDS)
    if child.stdout is not None:
        with contextlib.suppress(OSError):
            child.stdout.close()
