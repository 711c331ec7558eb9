"""Fixtures for the suite's own tests: the reference server, config files and the `run` command in a subprocess."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conformance.reference import ReferenceServer, start_reference
from tests.cli_runs import RUN_TIMEOUT, RunOutcome, run_conformance


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferenceServer]:
    """The bundled reference with provider states, on a free loopback port."""
    with start_reference(provider_states=True) as server:
        yield server


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., RunOutcome]:
    """Run ``python -m conformance run ARGS`` in a subprocess (cwd = a temp dir), reports in a temp dir."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT,
            report_dir: Path | None = None) -> RunOutcome:
        reports = report_dir or tmp_path / "reports"
        return run_conformance(tmp_path, *args, report_dir=reports, env=env, timeout=timeout)

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
