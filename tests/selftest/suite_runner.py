"""Run the real suite (``python -m conformance run``) in a subprocess and read its results.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RUN_TIMEOUT_SECONDS = 240
FAILING_OUTCOMES = ("failed", "error")


@dataclass(frozen=True)
class SuiteRun:
    """One finished run: exit code, per-test results, and the console output (already redacted by the suite)."""

    exit_code: int
    tests: list[dict[str, str]]
    output: str
    seconds: float
    report_dir: Path

    def leaked(self, secrets: dict[str, str]) -> list[str]:
        """Roles whose secret appears in the console output or in any report file."""
        texts = [self.output] + [
            path.read_text(encoding="utf-8", errors="replace") for path in self.report_dir.rglob("*") if path.is_file()
        ]
        return sorted(role for role, secret in secrets.items() if any(secret in text for text in texts))

    @property
    def failed_requirements(self) -> set[str]:
        """Requirement ids with at least one failed or errored test."""
        return {
            test["requirement"] for test in self.tests if test["outcome"] in FAILING_OUTCOMES and test["requirement"]
        }

    @property
    def failing_tests(self) -> list[str]:
        """One line per failed or errored test: node id and message."""
        return [
            f"{test['nodeid']}: {test['message'][:300]}" for test in self.tests if test["outcome"] in FAILING_OUTCOMES
        ]


def run_suite(config_toml: str, workdir: Path, pytest_args: Sequence[str] = ()) -> SuiteRun:
    """Write the config into ``workdir``, run the suite against it (``-- pytest_args`` if any), and return what
    it reported."""
    config = workdir / "conformance.toml"
    config.write_text(config_toml, encoding="utf-8")
    report_dir = workdir / "reports"
    command = [sys.executable, "-m", "conformance", "run", "--config", str(config), "--report-dir", str(report_dir)]
    command += ["--", *pytest_args] if pytest_args else []
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CRUX_"))}
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    seconds = time.monotonic() - started
    output = completed.stdout + completed.stderr
    results_path = report_dir / "results.json"
    if not results_path.is_file():
        raise AssertionError(f"run exited {completed.returncode} without {results_path}:\n{output[-3000:]}")
    results = json.loads(results_path.read_text(encoding="utf-8"))
    if results.get("exit_code") != completed.returncode:
        raise AssertionError(f"results.json says exit {results.get('exit_code')}, the process {completed.returncode}")
    return SuiteRun(completed.returncode, results["tests"], output, seconds, report_dir)
