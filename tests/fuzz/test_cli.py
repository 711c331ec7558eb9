"""`st run specs/openapi.yaml` with the shipped schemathesis.toml: the same operations, checks and auth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ST_TIMEOUT_SECONDS = 180


def st_run(repo_root: Path, base_url: str, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("CRUX_", "PYTEST_"))}
    command = [str(Path(sys.executable).with_name("st")), "run", "specs/openapi.yaml", "--url", base_url,
               "--max-examples", "10", "--seed", "1", "--no-color", *extra]  # fmt: skip
    return subprocess.run(
        command, cwd=repo_root, env={**clean, **env}, capture_output=True, text=True,
        timeout=ST_TIMEOUT_SECONDS, check=False,
    )  # fmt: skip


def test_cli_tests_the_operations_under_test_and_passes_on_the_reference(repo_root, reference, reference_config):
    secrets = reference_config.credentials
    env = {
        "CRUX_SUPPLIER_TOKEN": secrets.get("supplier"),
        "CRUX_RETAILER_TOKEN": secrets.get("retailer"),
        "CRUX_STATE_URL": reference.state_url,
    }
    result = st_run(repo_root, reference.base_url, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Selected: 5/75" in output
    assert "✅ Stateful" in output
    assert secrets.get("supplier") not in output


def test_cli_without_a_token_is_refused(repo_root, reference):
    result = st_run(repo_root, reference.base_url, {}, "--phases", "fuzzing")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "Schema-valid request rejected" in output
