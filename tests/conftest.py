"""Generic fixtures for the project's own tests: the repository root and the shared docs tree."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
_SESSION_STARTED_AT = time.time()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "selftest: runs the real suite in a subprocess against a test target (slow)")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # The fault self-tests write reports/fault-matrix.md from every xdist worker; say how it came out.
    from tests.selftest.matrix import summary_since

    line = summary_since(_SESSION_STARTED_AT)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the directory holding pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir(repo_root: Path) -> Path:
    """``../shared`` beside the work tree (CONTRACT.md, the CRUX docs); skips when it is absent."""
    path = repo_root.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"shared directory {path} is absent")
    return path
