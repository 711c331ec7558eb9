"""Run ``crux-conformance run`` in this process and write when each of its phases started and ended (JSON).

``bench_run.py`` starts ``python benchmarks/phase_clock.py OUT.json RUN_ARGS...`` instead of ``python -m
conformance run RUN_ARGS...``: the run is the same, only observed. The clock wraps, by name, the run
command's reference start (``_bundled_reference``), ``preflight`` and ``pytest.main`` (adding a pytest
plugin that notes configure, the end of collection and every test's start, end and kind), and
urllib3's ``HTTPConnectionPool.urlopen`` (the intervals spent waiting on the target's answers, every
thread, the fuzz stage included). A name the code no longer has is reported as not measured, never guessed.
Benchmarks only: nothing here is imported by the suite.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
STARTED_WALL = time.time()

marks: dict[str, float] = {}
tests: list[dict[str, Any]] = []
waits: list[tuple[float, float]] = []
missing: list[str] = []
_lock = threading.Lock()


def now() -> float:
    """Seconds since this process started the clock."""
    return time.perf_counter() - STARTED


class PhasePlugin:
    """Notes pytest's phases and every test's span and kind (fuzz, model or hand-written)."""

    def pytest_configure(self, config: Any) -> None:
        """Note when pytest finished loading plugins and options."""
        marks.setdefault("pytest_configured", now())

    def pytest_collection_finish(self, session: Any) -> None:
        """Note the end of collection."""
        marks["collection_finished"] = now()

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        """Note a test's start (setup included)."""
        tests.append({"nodeid": nodeid, "start": now(), "end": None, "kind": "checks"})

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        """Note a test's end (teardown included)."""
        for test in reversed(tests):
            if test["nodeid"] == nodeid:
                test["end"] = now()
                break

    def pytest_runtest_setup(self, item: Any) -> None:
        """Note the test's kind from its markers."""
        kind = "checks"
        if item.get_closest_marker("fuzz") is not None:
            kind = "fuzz"
        elif item.get_closest_marker("model") is not None or "test_model" in item.nodeid:
            kind = "model"
        for test in reversed(tests):
            if test["nodeid"] == item.nodeid:
                test["kind"] = kind
                break

    def pytest_sessionfinish(self, session: Any) -> None:
        """Note the end of the session (reports follow)."""
        marks["session_finishing"] = now()


def _wrap_send() -> None:
    """Time every request at urllib3's pool (under requests' adapters, which the rate limiter swaps)."""
    try:
        from urllib3.connectionpool import HTTPConnectionPool
    except ImportError:
        missing.append("urllib3.connectionpool.HTTPConnectionPool.urlopen")
        return
    original = HTTPConnectionPool.urlopen

    def urlopen(self: Any, *args: Any, **kwargs: Any) -> Any:
        began = now()
        try:
            return original(self, *args, **kwargs)
        finally:
            with _lock:
                waits.append((began, now()))

    HTTPConnectionPool.urlopen = urlopen  # type: ignore[method-assign]


def _wrap_run_command() -> None:
    import pytest

    from conformance.commands import run as run_command

    original_main = pytest.main

    def main(args: Any = None, plugins: Any = None) -> Any:
        marks["pytest_main_start"] = now()
        try:
            return original_main(args, plugins=[*(plugins or []), PhasePlugin()])
        finally:
            marks["pytest_main_end"] = now()

    run_command.pytest.main = main  # the run module calls pytest.main through its pytest import

    if hasattr(run_command, "preflight"):
        original_preflight = run_command.preflight

        def preflight(*args: Any, **kwargs: Any) -> Any:
            marks["preflight_start"] = now()
            try:
                return original_preflight(*args, **kwargs)
            finally:
                marks["preflight_end"] = now()

        run_command.preflight = preflight
    else:
        missing.append("conformance.commands.run.preflight")

    if hasattr(run_command, "_bundled_reference"):
        original_reference = run_command._bundled_reference

        @contextmanager
        def bundled_reference(*args: Any, **kwargs: Any) -> Any:
            marks["reference_start"] = now()
            with original_reference(*args, **kwargs) as value:
                marks["reference_ready"] = now()
                try:
                    yield value
                finally:
                    marks["reference_stop"] = now()
            marks["reference_stopped"] = now()

        run_command._bundled_reference = bundled_reference
    else:
        missing.append("conformance.commands.run._bundled_reference")


def _wrap_background_model() -> None:
    """Note when the model stage ran on its own thread (it overlaps the other checks)."""
    try:
        from conformance.model.background import BackgroundModelRun
    except ImportError:
        missing.append("conformance.model.background.BackgroundModelRun")
        return
    original = BackgroundModelRun._run

    def run(self: Any) -> None:
        marks["model_background_start"] = now()
        try:
            original(self)
        finally:
            marks["model_background_end"] = now()

    BackgroundModelRun._run = run  # type: ignore[method-assign]


def main() -> int:
    """Run the command with the clock on; write the marks to argv[1] whatever the outcome."""
    out = Path(sys.argv[1])
    code = 70
    try:
        from conformance.cli import build_parser
        from conformance.cli import main as cli_main

        build_parser()  # imports every command module: counted as imports
        marks["imports_done"] = now()
        _wrap_send()
        _wrap_run_command()
        _wrap_background_model()
        code = cli_main(["run", *sys.argv[2:]])
    finally:
        marks["run_returned"] = now()
        record = {"started_wall": STARTED_WALL, "marks": marks, "tests": tests, "waits": waits, "missing": missing}
        out.write_text(json.dumps(record), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
