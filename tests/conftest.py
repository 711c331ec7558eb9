"""Generic fixtures for the project's own tests: the repository root, the shared docs tree, and the one
whole-suite run against the reference that several modules judge."""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest

from tests.cli_runs import RunOutcome

REPO_ROOT = Path(__file__).resolve().parents[1]
_SESSION_STARTED_AT = time.time()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "selftest: runs the real suite in a subprocess against a test target (slow)")


#: Node-id prefixes of the longest tests, longest first (measured with --durations on a quiet 2-core machine).
#: ``pytest_collection_modifyitems`` moves them to the front, in this order: under ``-n`` the workers take tests
#: one by one in collection order (``--dist loadgroup``, the root conftest.py), so the long ones start first and the
#: short ones fill in behind them, instead of one long test starting last and running on alone. Whole modules
#: move together, so that a module-scoped server is still started once per worker.
LONGEST_FIRST = (
    "tests/selftest/test_model_faults.py::test_the_model_stage_catches_it_within_the_default_budget[spelling-keyed-lock-race]",
    "tests/transport/test_failures.py::test_50_mb_bodies_finish_with_reports_under_300_mb",
    "tests/hostile/test_slow_and_stopping.py",
    "tests/history/test_run_integration.py",
    "tests/suite/test_run.py",
    "tests/realworld/test_safety.py",
    "tests/realworld/test_api_mode.py",
    "tests/realworld/test_ratelimit.py",
    "tests/reporting/test_run_reports.py",
    "tests/selftest/test_model_faults.py",
    "tests/selftest/test_suite_runs.py",
    "tests/fuzz/test_stage.py",
    "tests/suite/test_process_hygiene.py",
    "tests/model/test_conformant_targets.py",
    "tests/plugin/test_hooks.py",
    "tests/fuzz/test_cli.py",
    "tests/transport/test_tls.py",
    "tests/reference/test_reference_server.py",
    "tests/reference/test_serve_safety.py",
    "tests/specgen/test_real_docs.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest tests first (``LONGEST_FIRST``), every other test after them in its collected order."""

    def rank(item: pytest.Item) -> int:
        return next((i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the order within each rank is pytest's


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # The fault self-tests write reports/fault-matrix.md from every xdist worker; say how it came out.
    from tests.selftest.matrix import summary_since

    line = summary_since(_SESSION_STARTED_AT)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def reference_suite_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunOutcome, dict[str, str]]:
    """The whole suite (model and fuzz stages included) run once per session through the CLI against the
    in-process reference with provider states: ``(run, credentials)``.

    Several modules judge this one run (tests/selftest, tests/reporting). Under xdist the first worker to ask
    runs it, holding a lock in the session's shared temp folder; the others wait and read what it left there
    (``xdist_group`` cannot do this: pytest 9 ignores the node-id suffix pytest-xdist 3.8 groups by).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, above every worker's own
    folder = shared / "reference-suite-run"
    summary = folder / "outcome.json"
    with open(shared / "reference-suite-run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not summary.is_file():
            from conformance.reference import start_reference
            from tests.cli_runs import run_suite

            folder.mkdir(exist_ok=True)
            with start_reference(provider_states=True) as reference:
                run = run_suite(reference.config_toml(), folder)
            facts = {"code": run.code, "stdout": run.stdout, "stderr": run.stderr, "elapsed": run.elapsed,
                     "report_dir": str(run.report_dir), "credentials": dict(reference.credentials)}  # fmt: skip
            summary.write_text(json.dumps(facts), encoding="utf-8")  # a temp folder, as conformance.toml beside it
    facts = json.loads(summary.read_text(encoding="utf-8"))
    run = RunOutcome(facts["code"], facts["stdout"], facts["stderr"], Path(facts["report_dir"]), facts["elapsed"])
    return run, facts["credentials"]


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
