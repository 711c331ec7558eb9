"""The run's traffic limits inside pytest: rate cap and budget installed, concurrency checks paid up front,
a check cut short by a persisting 429 or the spent budget reported not verified, the run stopped on it.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from conformance import ratelimit
from conformance.client import Throttled
from conformance.config import RunConfig
from conformance.errors import exception_chain
from conformance.plugin.session import run_session
from conformance.plugin.xdist import worker_share

#: Requests a REJ-013/014 check sends (N together plus warm-ups, provisioning and probes) are paid for at
#: once under a rate cap, so the simultaneous ones leave together: ``2 * N + CONCURRENCY_EXTRA_REQUESTS``.
CONCURRENCY_EXTRA_REQUESTS = 8


def install(config: pytest.Config, run_config: RunConfig) -> None:
    """Install the run's rate cap and budget process-wide (kept as is when `run` already installed them)."""
    ratelimit.configure(run_config.max_rps, run_config.max_requests, burst=run_config.concurrency,
                        share=worker_share(config))  # fmt: skip
    ratelimit.install_everywhere()  # Schemathesis's own sessions (auth probes) too; undone at unconfigure


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give ``requests`` back its plain adapters."""
    ratelimit.uninstall_everywhere()


def stop_run(config: pytest.Config, message: str, code: int = 2) -> None:
    """End the session now with ``code`` and one line, remembered for `run`'s last line."""
    run_session(config).stop_reason = message
    pytest.exit(message, returncode=code)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """Under a rate cap, pay a REJ-013/014 check's requests up front so its simultaneous ones leave together."""
    run_config = run_session(item.config).run_config
    if item.get_closest_marker("concurrency") and run_config is not None:
        ratelimit.limiter().prepay(2 * run_config.concurrency + CONCURRENCY_EXTRA_REQUESTS)


def limit_cause(error: BaseException | None) -> str | None:
    """The not-verified reason when ``error`` is (or wraps) a 429 that persisted or the exhausted budget."""
    for each in exception_chain(error):
        if isinstance(each, Throttled):
            return each.message
        if isinstance(each, ratelimit.RequestBudgetExceeded):
            return f"not verified: {each.message}"
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """A check cut short by a persisting 429 or the exhausted request budget is not verified, never failed."""
    report = yield
    if isinstance(report, pytest.TestReport) and report.failed and call.excinfo is not None:
        cause = limit_cause(call.excinfo.value)
        if cause is not None:
            report.outcome = "skipped"
            reason = run_session(item.config).redactor.text(cause)
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
    return report


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the run (exit 2, one line) once the request budget is used up."""
    exceeded = ratelimit.limiter().exceeded
    if exceeded and run_session(item.config).active:
        stop_run(item.config, exceeded)
