"""Headless Chromium for the report self-tests: dump the rendered DOM and take a screenshot."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.processes import run_bounded

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
)
TIMEOUT_S = 60


def chromium_or_skip() -> str:
    """Path of the Chromium binary; skip the calling test with a clear reason when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (apt-get install chromium); report rendering not checked")


def _run(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    binary = chromium_or_skip()
    with tempfile.TemporaryDirectory() as profile:
        return run_bounded(  # its own process group: no renderer outlives a timeout
            [binary, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", *extra, page.as_uri()],
            timeout=TIMEOUT_S,
        )


def rendered_dom(page: Path) -> str:
    """The page's DOM after its scripts ran."""
    result = _run(page, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1800) -> Path:
    """Save a screenshot of the page and return its path."""
    result = _run(page, f"--screenshot={png}", f"--window-size={width},{height}")
    assert png.is_file() and png.stat().st_size > 0, result.stderr[-2000:]
    return png
