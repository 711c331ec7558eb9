"""Run the fuzz stage alone (pytest -m fuzz on conformance.checks.test_fuzz) in a subprocess against a target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RUN_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class StageRun:
    """One finished fuzz-stage run: pytest's exit code, its console output, its results.json, how long it took."""

    exit_code: int
    output: str
    seconds: float
    results: dict

    def status_mix(self, operation: str = "PATCH /timp/orders/cancel/{order_uuid}/reject/") -> dict[int, int]:
        """What ``operation`` answered (not the stateful one), by status, from results.json's fuzz status mix."""
        mix = self.results.get("fuzz_status_mix", {}).get(operation, {})
        return {int(status): int(count) for status, count in mix.items()}

    def leaked(self, secrets: dict[str, str]) -> list[str]:
        """Roles whose secret appears in the output."""
        return sorted(role for role, secret in secrets.items() if secret and secret in self.output)


def run_stage(config_toml: str, workdir: Path, *extra: str, env: dict[str, str] | None = None) -> StageRun:
    """Write the config into ``workdir`` and run the fuzz stage against it (``extra``: more pytest args)."""
    config = workdir / "conformance.toml"
    config.write_text(config_toml, encoding="utf-8")
    results = workdir / "results.json"
    results.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "pytest",
        "-p", "conformance.plugin", "-p", "conformance.fuzz.plugin",
        "-p", "no:cacheprovider", "--noconftest", "--rootdir", str(workdir), "-o", "python_files=test_*.py",
        "--conformance-config", str(config), "--conformance-results", str(results), "-m", "fuzz", "-q", "-rfEs",
        "--pyargs", "conformance.checks.test_fuzz", *extra,
    ]  # fmt: skip
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CRUX_", "CI"))}
    clean_env.update(env or {})
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=workdir, env=clean_env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    document = json.loads(results.read_text(encoding="utf-8")) if results.is_file() else {}
    return StageRun(completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started, document)
