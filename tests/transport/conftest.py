"""Fixtures for the transport tests: a clean proxy/CA environment, a recording relay, a logging proxy, `run`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conformance import ratelimit
from tests.cli_runs import RUN_TIMEOUT, RunOutcome, run_conformance
from tests.transport.relay import LoggingProxy, RecordingRelay, logging_proxy, recording_relay

#: Variables that would change where requests go or whom they trust; every test starts without them.
TRANSPORT_ENVIRONMENT = (
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
    "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE",
)  # fmt: skip


def clean_environment(**extra: str) -> dict[str, str]:
    """Overrides for a subprocess: every transport variable emptied, then ``extra`` set.

    A proxy variable is set in both cases: Python lets an empty lower-case one cancel the upper-case one.
    """
    both = {name.lower(): value for name, value in extra.items() if name.upper().endswith("_PROXY")}
    return {name: "" for name in TRANSPORT_ENVIRONMENT} | extra | both


@pytest.fixture(autouse=True)
def _no_transport_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process tests see no proxy or CA variable of the machine they run on; no limits are left behind."""
    for name in TRANSPORT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    yield
    ratelimit.reset()


@pytest.fixture
def relay() -> Iterator[RecordingRelay]:
    """A recording relay answering 404 to everything."""
    with recording_relay() as running:
        yield running


@pytest.fixture
def proxy() -> Iterator[LoggingProxy]:
    """A logging HTTP proxy."""
    with logging_proxy() as running:
        yield running


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., RunOutcome]:
    """Run ``python -m conformance run ARGS`` in a subprocess with a clean transport environment plus ``env``."""
    counter = iter(range(1000))

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT) -> RunOutcome:
        report_dir = tmp_path / f"reports-{next(counter)}"
        return run_conformance(tmp_path, *args, report_dir=report_dir, env=clean_environment(**(env or {})),
                               timeout=timeout)  # fmt: skip

    return run


def one_line(stderr: str) -> str:
    """The single non-empty line a failed run printed on stderr (asserting there is exactly one)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]
