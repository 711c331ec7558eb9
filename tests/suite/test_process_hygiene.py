"""The project's tests pass when started in the background (SIGINT ignored, as `cmd &` and nohup leave it) and
leave no process behind, whether a test passes, fails or times out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.processes import processes_marked, run_bounded, running

MARKER_VARIABLE = "CRUX_TEST_PROCESS_MARKER"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _marked_env() -> tuple[str, dict[str, str]]:
    marker = f"crux-hygiene-{uuid.uuid4().hex}"
    return marker, {**os.environ, MARKER_VARIABLE: marker}


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _gone(marker: str, within: float = 10.0) -> list[int]:
    deadline = time.monotonic() + within
    while (left := processes_marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_run_bounded_kills_what_the_command_left_behind_on_timeout():
    marker, env = _marked_env()
    with pytest.raises(subprocess.TimeoutExpired):
        run_bounded(["bash", "-c", "sleep 300 & sleep 300"], timeout=1, env=env)
    assert _gone(marker) == []


def test_run_bounded_kills_orphans_of_a_command_that_ended():
    marker, env = _marked_env()
    done = run_bounded(["bash", "-c", "(sleep 300 >/dev/null 2>&1 &) ; echo started"], timeout=30, env=env)
    assert done.stdout.strip() == "started"
    assert _gone(marker) == []


def test_running_kills_a_process_that_ignores_sigterm():
    marker, env = _marked_env()
    with running(
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('up', flush=True); time.sleep(300)",
        ],
        grace=1,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as p:
        assert p.stdout.readline().strip() == "up"
    assert _gone(marker) == []


def test_a_failing_test_still_stops_the_process_it_started():
    marker, env = _marked_env()
    with pytest.raises(AssertionError), running([sys.executable, "-c", "import time; time.sleep(300)"], env=env):
        raise AssertionError("the test failed while its server ran")
    assert _gone(marker) == []


def test_the_serve_tests_pass_in_the_background_and_leave_nothing_running(tmp_path):
    """As `nohup pytest tests/reference/test_reference_server.py &` would start them: SIGINT ignored."""
    marker, env = _marked_env()
    done = run_bounded(
        [sys.executable, "-m", "pytest", "tests/reference/test_reference_server.py", "-q", "-p", "no:cacheprovider",
         "-k", "serve_prints or database_url or two_serve", "--basetemp", str(tmp_path / "base")],
        timeout=300, cwd=REPO_ROOT, env=env, preexec_fn=_ignore_sigint,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
    assert _gone(marker) == []
