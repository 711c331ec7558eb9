"""Fixtures for the suite's own tests: the reference server, config files and the `run` command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.reference import ReferenceServer, start_reference

RUN_TIMEOUT = 180


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferenceServer]:
    """The bundled reference with provider states, on a free loopback port."""
    with start_reference(provider_states=True) as server:
        yield server


@dataclass
class RunOutcome:
    """What one `crux-conformance run` did: exit code, output, and its results.json (if written)."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path
    elapsed: float

    @property
    def results(self) -> dict:
        return json.loads((self.report_dir / "results.json").read_text())

    def outcomes(self) -> dict[str, str]:
        return {test["nodeid"]: test["outcome"] for test in self.results["tests"]}

    def not_passed(self) -> list[tuple[str, str, str]]:
        """(nodeid, outcome, message) of every test that did not pass: the useful part of a failure."""
        return [(t["nodeid"], t["outcome"], t["message"]) for t in self.results["tests"] if t["outcome"] != "passed"]

    def failed_requirements(self) -> set[str]:
        return {t["requirement"] for t in self.results["tests"] if t["outcome"] in ("failed", "error")}

    def report_texts(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.report_dir.iterdir() if p.is_file())


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., RunOutcome]:
    """Run ``python -m conformance run ARGS`` in a subprocess (cwd = a temp dir), reports in a temp dir."""
    import time

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT,
            report_dir: Path | None = None) -> RunOutcome:
        reports = report_dir or tmp_path / "reports"
        command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(reports), *args]
        started = time.monotonic()
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=tmp_path,
            env={**os.environ, **(env or {})},
        )
        return RunOutcome(completed.returncode, completed.stdout, completed.stderr, reports,
                          time.monotonic() - started)

    return run


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text into a temp file and return its path."""
    counter = iter(range(1000))

    def write(text: str) -> Path:
        path = tmp_path / f"conformance-{next(counter)}.toml"
        path.write_text(text)
        return path

    return write
