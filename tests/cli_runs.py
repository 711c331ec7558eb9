"""`crux-conformance run` in a subprocess, and what it left behind: shared by the suite and real-world tests."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.processes import run_bounded

RUN_TIMEOUT = 180


@dataclass
class RunOutcome:
    """What one `crux-conformance run` did: exit code, output, and the files in its report dir."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path
    elapsed: float

    @property
    def results(self) -> dict:
        return json.loads((self.report_dir / "results.json").read_text())

    @property
    def traffic(self) -> dict:
        return json.loads((self.report_dir / "traffic.json").read_text())

    def outcomes(self) -> dict[str, str]:
        return {test["nodeid"]: test["outcome"] for test in self.results["tests"]}

    def by_requirement(self) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for test in self.results["tests"]:
            grouped.setdefault(test["requirement"], []).append(test)
        return grouped

    def not_passed(self) -> list[tuple[str, str, str]]:
        """(nodeid, outcome, message) of every test that did not pass: the useful part of a failure."""
        return [(t["nodeid"], t["outcome"], t["message"]) for t in self.results["tests"] if t["outcome"] != "passed"]

    def failed_requirements(self) -> set[str]:
        return {t["requirement"] for t in self.results["tests"] if t["outcome"] in ("failed", "error")}

    def report_texts(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.report_dir.iterdir() if p.is_file())


def run_conformance(
    workdir: Path, *args: str, report_dir: Path, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT
) -> RunOutcome:
    """Run ``python -m conformance run --report-dir REPORT_DIR ARGS`` with ``workdir`` as the cwd."""
    command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(report_dir), *args]
    started = time.monotonic()
    completed = run_bounded(command, timeout=timeout, cwd=workdir, env={**os.environ, **(env or {})})
    return RunOutcome(completed.returncode, completed.stdout, completed.stderr, report_dir, time.monotonic() - started)
