"""Fixtures for real-world runs: the reference without provider states (mode api), a recording proxy, `run`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conformance import ratelimit
from conformance.reference import ReferenceServer, start_reference
from tests.cli_runs import RUN_TIMEOUT, RunOutcome, run_conformance
from tests.realworld.proxy import Recording, recording_proxy

NOT_FUZZ = ("--", "-m", "not fuzz")


@pytest.fixture(scope="module")
def api_reference() -> Iterator[ReferenceServer]:
    """The bundled reference as a shared environment would be: no provider-states endpoint."""
    with start_reference(provider_states=False) as server:
        yield server


@pytest.fixture
def proxy(api_reference: ReferenceServer) -> Iterator[tuple[str, Recording]]:
    """A recording proxy in front of the reference: ``(base_url, recording)``."""
    with recording_proxy(api_reference.base_url) as pair:
        yield pair


@pytest.fixture(autouse=True)
def _unlimited_afterwards() -> Iterator[None]:
    """In-process tests must not leave a rate cap or budget behind."""
    yield
    ratelimit.reset()


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., RunOutcome]:
    """Run ``python -m conformance run ARGS`` in a subprocess (cwd and reports in a temp dir)."""
    counter = iter(range(1000))

    def run(*args: str, timeout: float = RUN_TIMEOUT) -> RunOutcome:
        return run_conformance(tmp_path, *args, report_dir=tmp_path / f"reports-{next(counter)}", timeout=timeout)

    return run


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text into a temp file and return its path."""
    counter = iter(range(1000))

    def write(text: str) -> Path:
        path = tmp_path / f"realworld-{next(counter)}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def with_base_url(config_text: str, base_url: str) -> str:
    """The config with its [target] base_url replaced."""
    lines = [
        f'base_url = "{base_url}"' if line.startswith("base_url = ") else line for line in config_text.splitlines()
    ]
    return "\n".join(lines) + "\n"
