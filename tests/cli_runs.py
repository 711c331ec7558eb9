"""The one way the project's tests run the suite as a whole, in a subprocess, and read what it left behind.

- ``run_conformance(workdir, *args)``: ``python -m conformance run ARGS`` (the command line as users type it);
- ``run_suite(config_toml, workdir)``: the same with a config file and a clean environment (no ``PYTEST_*``,
  ``CRUX_*``), checking that ``results.json`` exists and agrees with the exit code;
- ``run_stage(config_toml, workdir, *pytest_args)``: the fuzz stage alone under plain pytest.

Each returns a ``RunOutcome``; ``RunOutcome.leaked`` is the one secret-leak scan (console output and every
file of the report folder). Every run is started in its own process group, and whatever happens (a timeout,
an interrupted test) the whole group, bundled reference included, is stopped before the call returns.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.processes import run_bounded

RUN_TIMEOUT = 180
FAILING_OUTCOMES = ("failed", "error")
REJECT = "PATCH /timp/orders/cancel/{order_uuid}/reject/"


@dataclass
class RunOutcome:
    """What one run did: exit code, output, and the files in its report dir (None for a fuzz-stage run)."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path | None
    elapsed: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def results(self) -> dict:
        return json.loads((self.report_dir / "results.json").read_text())

    @property
    def traffic(self) -> dict:
        return json.loads((self.report_dir / "traffic.json").read_text())

    @property
    def tests(self) -> list[dict]:
        return self.results["tests"]

    def outcomes(self) -> dict[str, str]:
        return {test["nodeid"]: test["outcome"] for test in self.tests}

    def by_requirement(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for test in self.tests:
            grouped.setdefault(test["requirement"], []).append(test)
        return grouped

    def not_passed(self) -> list[tuple[str, str, str]]:
        """(nodeid, outcome, message) of every test that did not pass: the useful part of a failure."""
        return [(t["nodeid"], t["outcome"], t["message"]) for t in self.tests if t["outcome"] != "passed"]

    def failed_requirements(self) -> set[str]:
        """Requirement ids with at least one failed or errored test (a failure naming what it broke counts
        against those requirements)."""
        failing = [t for t in self.tests if t["outcome"] in FAILING_OUTCOMES]
        return {rid for t in failing for rid in (t.get("broken") or [t["requirement"]]) if rid}

    @property
    def failing_tests(self) -> list[str]:
        """One line per failed or errored test: node id and message."""
        return [f"{t['nodeid']}: {t['message'][:300]}" for t in self.tests if t["outcome"] in FAILING_OUTCOMES]

    def report_texts(self) -> str:
        if self.report_dir is None or not self.report_dir.is_dir():
            return ""
        paths = sorted(path for path in self.report_dir.rglob("*") if path.is_file())
        return "".join(path.read_text(encoding="utf-8", errors="replace") for path in paths)

    def leaked(self, secrets: dict[str, str]) -> list[str]:
        """Roles whose secret appears in the console output or in any report file."""
        texts = (self.output, self.report_texts())
        return sorted(role for role, secret in secrets.items() if secret and any(secret in text for text in texts))

    def status_mix(self, operation: str = REJECT) -> dict[int, int]:
        """What ``operation`` answered in the fuzz stage (not the stateful one), by status, from results.json."""
        if self.report_dir is None or not (self.report_dir / "results.json").is_file():
            return {}
        mix = self.results.get("fuzz_status_mix", {}).get(operation, {})
        return {int(status): int(count) for status, count in mix.items()}


def run_process(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run ``command`` in its own process group; return (code, stdout, stderr); the group is gone afterwards.

    On timeout the group is killed and ``subprocess.TimeoutExpired`` raised, as ``subprocess.run`` would.
    """
    completed = run_bounded(command, timeout=timeout, cwd=cwd, env=env)
    return completed.returncode, completed.stdout, completed.stderr


def run_conformance(
    workdir: Path, *args: str, report_dir: Path, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT
) -> RunOutcome:
    """Run ``python -m conformance run --report-dir REPORT_DIR ARGS`` with ``workdir`` as the cwd."""
    command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(report_dir), *args]
    started = time.monotonic()
    code, stdout, stderr = run_process(command, cwd=workdir, env={**os.environ, **(env or {})}, timeout=timeout)
    return RunOutcome(code, stdout, stderr, report_dir, time.monotonic() - started)


def run_suite(
    config_toml: str, workdir: Path, pytest_args: Sequence[str] = (), timeout: float = 240
) -> RunOutcome:
    """Write the config into ``workdir``, run the suite against it (``-- pytest_args`` if any), and return
    what it reported."""
    config = workdir / "conformance.toml"
    config.write_text(config_toml, encoding="utf-8")
    report_dir = workdir / "reports"
    command = [sys.executable, "-m", "conformance", "run", "--config", str(config), "--report-dir", str(report_dir)]
    command += ["--", *pytest_args] if pytest_args else []
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CRUX_"))}
    started = time.monotonic()
    code, stdout, stderr = run_process(command, cwd=workdir, env=env, timeout=timeout)
    outcome = RunOutcome(code, stdout, stderr, report_dir, time.monotonic() - started)
    results_path = report_dir / "results.json"
    if not results_path.is_file():
        raise AssertionError(f"run exited {code} without {results_path}:\n{outcome.output[-3000:]}")
    if outcome.results.get("exit_code") != code:
        raise AssertionError(f"results.json says exit {outcome.results.get('exit_code')}, the process {code}")
    return outcome


def run_stage(
    config_toml: str, workdir: Path, *extra: str, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT
) -> RunOutcome:
    """Write the config into ``workdir`` and run the fuzz stage against it (``extra``: more pytest args)."""
    config = workdir / "conformance.toml"
    config.write_text(config_toml, encoding="utf-8")
    report_dir = workdir / "stage-reports"
    report_dir.mkdir(exist_ok=True)
    (report_dir / "results.json").unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "pytest",
        "-p", "conformance.plugin", "-p", "conformance.fuzz.plugin",
        "-p", "no:cacheprovider", "--noconftest", "--rootdir", str(workdir), "-o", "python_files=test_*.py",
        "--conformance-config", str(config), "--conformance-results", str(report_dir / "results.json"),
        "-m", "fuzz", "-q", "-rfEs",
        "--assert=plain",  # as `run` does: no check asserts bare, and rewriting the plugins' modules costs seconds
        "--pyargs", "conformance.checks.test_fuzz", *extra,
    ]  # fmt: skip
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CRUX_", "CI"))}
    clean_env.update(env or {})
    started = time.monotonic()
    code, stdout, stderr = run_process(command, cwd=workdir, env=clean_env, timeout=timeout)
    return RunOutcome(code, stdout, stderr, report_dir, time.monotonic() - started)
