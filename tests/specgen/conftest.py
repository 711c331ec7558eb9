"""Fixtures for the spec generator's tests: the mini docs tree, the real docs tree, a CLI runner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
REAL_DOCS = (REPO_ROOT / ".." / "shared" / "crux-docs").resolve()


@pytest.fixture(scope="session")
def committed_spec() -> Path:
    """The committed, generated document specs/openapi.yaml."""
    return REPO_ROOT / "specs" / "openapi.yaml"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def mini_docs(tmp_path: Path) -> Path:
    """A writable copy of the small docs tree in fixtures/mini-docs."""
    target = tmp_path / "docs"
    shutil.copytree(FIXTURES / "mini-docs", target)
    return target


@pytest.fixture(scope="session")
def real_docs() -> Path:
    """The CRUX docs tree beside the repository (../shared/crux-docs), or a skip."""
    if not (REAL_DOCS / "_config.yml").is_file():
        pytest.skip(f"the CRUX docs tree is absent ({REAL_DOCS}); these tests read it")
    return REAL_DOCS


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run ``crux-conformance ARGS`` in-process; return exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
