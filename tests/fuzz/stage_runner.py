"""Run the fuzz stage alone (pytest -m fuzz on conformance.checks.test_fuzz) in a subprocess against a target."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RUN_TIMEOUT_SECONDS = 180
MIX_LINE = re.compile(r"^(stateful )?(PATCH|GET|POST|PUT|DELETE) (\S+): (.+)$")


@dataclass(frozen=True)
class StageRun:
    """One finished fuzz-stage run: pytest's exit code, its console output, and how long it took."""

    exit_code: int
    output: str
    seconds: float

    def status_mix(self, operation: str = "PATCH /timp/orders/cancel/{order_uuid}/reject/") -> dict[int, int]:
        """The ``status x count`` summary the plugin printed for ``operation`` (not the stateful one)."""
        for line in self.output.splitlines():
            if line.startswith(operation + ": "):
                pairs = (item.strip().split("x") for item in line.split(": ", 1)[1].split(","))
                return {int(status): int(count) for status, count in pairs}
        return {}

    def leaked(self, secrets: dict[str, str]) -> list[str]:
        """Roles whose secret appears in the output."""
        return sorted(role for role, secret in secrets.items() if secret and secret in self.output)


def run_stage(config_toml: str, workdir: Path, *extra: str, env: dict[str, str] | None = None) -> StageRun:
    """Write the config into ``workdir`` and run the fuzz stage against it (``extra``: more pytest args)."""
    config = workdir / "conformance.toml"
    config.write_text(config_toml, encoding="utf-8")
    command = [
        sys.executable, "-m", "pytest",
        "-p", "conformance.plugin", "-p", "conformance.fuzz.plugin",
        "-p", "no:cacheprovider", "--noconftest", "--rootdir", str(workdir), "-o", "python_files=test_*.py",
        "--conformance-config", str(config), "-m", "fuzz", "-q", "-rfEs",
        "--pyargs", "conformance.checks.test_fuzz", *extra,
    ]  # fmt: skip
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CRUX_", "CI"))}
    clean_env.update(env or {})
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=workdir, env=clean_env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    return StageRun(completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started)
