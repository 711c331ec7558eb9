"""The tests' one subprocess runner: a run that hangs is stopped with everything it started."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from tests.cli_runs import RunOutcome, run_process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_hanging_run_and_its_children_are_stopped(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    script = textwrap.dedent(
        f"""
        import pathlib, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
        pathlib.Path({str(pid_file)!r}).write_text(str(child.pid))
        time.sleep(300)
        """
    )
    with pytest.raises(subprocess.TimeoutExpired):
        run_process([sys.executable, "-c", script], cwd=tmp_path, env=dict(os.environ), timeout=3)
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild), "a process the run started outlived it"


def test_output_and_exit_code_come_back(tmp_path):
    code, stdout, stderr = run_process(
        [sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"],
        cwd=tmp_path,
        env=dict(os.environ),
        timeout=30,
    )
    assert (code, stdout, stderr) == (3, "out\n", "err\n")


def test_the_leak_scan_reads_output_and_every_report_file(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "exchanges.jsonl").write_text("Token s3cr3t", encoding="utf-8")
    run = RunOutcome(0, "printed t0ken", "", tmp_path, 1.0)
    assert run.leaked({"supplier": "s3cr3t", "retailer": "t0ken", "expired": "absent", "session_id": ""}) == [
        "retailer",
        "supplier",
    ]
