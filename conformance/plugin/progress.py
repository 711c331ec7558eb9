"""What a run is doing, while it does it: checks done of total, the current requirement, requests sent,
elapsed time and 429s waited out.

On a terminal it is one line that updates in place; in a CI log
(stderr not a terminal) a plain line at most every few seconds. pytest's progress dots give way to it. The
run command turns it on (``--conformance-progress``); ``crux-conformance run -q`` turns it off.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

import pytest

from conformance import ratelimit
from conformance.plugin.collection import requirement_of

MODES = ("auto", "line", "lines", "off")
#: In a log, at most one progress line per this many seconds (the last one always comes).
LOG_INTERVAL_SECONDS = 3.0


class Progress:
    """The progress display of one session."""

    def __init__(self, stream: TextIO, updating: bool) -> None:
        self.stream = stream
        self.updating = updating
        self.started = time.monotonic()
        self.total: int | None = None
        self.done = 0
        self.requirement = ""
        self.last_line_at = 0.0

    def line(self) -> str:
        """The progress text now."""
        traffic = ratelimit.limiter().summary()
        total = "?" if self.total is None else str(self.total)
        parts = [f"{self.done}/{total} checks", self.requirement or "starting",
                 f"{traffic['requests_sent']} requests", f"{time.monotonic() - self.started:.1f}s"]  # fmt: skip
        if traffic["throttled"]:
            parts.append(f"{traffic['throttled']} x 429 waited out")
        return "progress: " + " · ".join(parts)

    def show(self, *, force: bool = False) -> None:
        """Write the line: in place on a terminal, or as a log line when due (``force``: now)."""
        if self.updating:
            self.stream.write("\r" + self.line()[:160] + "\x1b[K")
            self.stream.flush()
            return
        now = time.monotonic()
        if force or now - self.last_line_at >= LOG_INTERVAL_SECONDS:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_line_at = now

    def finish(self) -> None:
        """The last line, and leave the terminal's cursor on a fresh line."""
        self.show(force=True)
        if self.updating:
            self.stream.write("\n")
            self.stream.flush()


PROGRESS = pytest.StashKey[Progress]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare ``--conformance-progress``."""
    parser.getgroup("conformance").addoption(
        "--conformance-progress", choices=MODES, default="off",
        help="show progress: auto (one updating line on a terminal, plain lines otherwise), line, lines, off",
    )  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    """Turn the display on for the controlling process when asked."""
    mode = config.getoption("conformance_progress", default="off")
    if mode == "off" or getattr(config, "workerinput", None) is not None:
        return
    updating = mode == "line" or (mode == "auto" and sys.stderr.isatty())
    progress = Progress(sys.stderr, updating)
    config.stash[PROGRESS] = progress
    config.pluginmanager.register(ProgressReports(progress), "conformance-progress")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Count the checks to run."""
    progress = session.config.stash.get(PROGRESS, None)
    if progress is not None and session.items:
        progress.total = sum(1 for item in session.items if requirement_of(item))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """Under xdist the controller learns the total from a worker's collection."""
    progress = node.config.stash.get(PROGRESS, None)
    if progress is not None and progress.total is None:
        progress.total = len(ids)


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    """While progress shows, pytest's progress dots give way to it (the outcome categories stay counted)."""
    progress = config.stash.get(PROGRESS, None)
    if progress is None or report.when != "call":
        return None
    return report.outcome, "", ""


class ProgressReports:
    """Follows the checks' reports (in this process, or from xdist workers) and updates the display."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A check starts (its setup report) or ends (its teardown report)."""
        requirement = dict(report.user_properties).get("requirement")
        if requirement is None:
            return
        if report.when == "setup":
            self.progress.requirement = str(requirement)
        elif report.when == "teardown":
            self.progress.done += 1
        self.progress.show()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The last progress line before the summary."""
    progress = session.config.stash.get(PROGRESS, None)
    if progress is not None:
        progress.finish()
