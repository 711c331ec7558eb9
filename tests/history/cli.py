"""Running `crux-conformance` subcommands for the history tests: in-process, or in a subprocess for exit-4 lines."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from conformance.cli import main

TIMEOUT_S = 120


@dataclass
class Done:
    """A finished command: exit code and output."""

    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Done:
    """Run the command line in this process; exit code and captured output."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return Done(code, captured.out, captured.err)


def run_process(*argv: str, env: dict[str, str] | None = None) -> Done:
    """Run ``python -m conformance ARGV`` in a subprocess (what a pipeline sees)."""
    done = subprocess.run(
        [sys.executable, "-m", "conformance", *argv], capture_output=True, text=True, timeout=TIMEOUT_S, env=env
    )
    return Done(done.returncode, done.stdout, done.stderr)


def assert_one_line_exit_4(done: Done) -> None:
    """Bad input: exit 4 with a single crux-conformance line and no traceback."""
    assert done.code == 4, (done.out, done.err)
    assert "Traceback" not in done.err
    lines = [line for line in done.err.strip().splitlines() if not line.startswith("usage:")]
    assert len(lines) == 1 and lines[0].startswith("crux-conformance"), done.err
