"""The session's state, in one object: what the run command hands in and the result it gets back.

``crux-conformance run`` builds a ``RunSession`` with its ``RunConfig`` and passes it to ``pytest.main``
as a plugin; a plain ``pytest -p conformance.plugin`` session gets one built from its options. Either
way it sits in ``config.stash[SESSION]``; every hook and fixture reads it from there, and ``result()``
is all the run command reads afterwards.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance import ratelimit
from conformance.client import Client, Exchange
from conformance.config import RunConfig
from conformance.plugin.keys import SESSION
from conformance.probes import StateProbe
from conformance.provisioning import Provisioner
from conformance.recorder import Recorder
from conformance.redaction import Redactor
from conformance.results import TestResult, latency_samples, latency_summary


@dataclass
class Ledger:
    """REJ-037's record: the state probe after every refused attempt, by the check that made it."""

    entries: list[tuple[str, StateProbe, Exchange]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, nodeid: str, probe: StateProbe, attempt: Exchange) -> None:
        """Remember the state probe a check made after its refused ``attempt``."""
        with self._lock:
            self.entries.append((nodeid, probe, attempt))

    def snapshot(self) -> list[tuple[str, StateProbe, Exchange]]:
        """A copy of the entries so far."""
        with self._lock:
            return list(self.entries)


@dataclass(frozen=True)
class RunResult:
    """What a finished session hands back to the run command."""

    tests: list[TestResult]
    latency: dict[str, dict[str, float]]
    recorder: Recorder
    traffic: dict[str, Any]
    created_orders: list[dict[str, str]]
    stop_reason: str | None  # why the session stopped early (exit 2): budget, orders, target gone, interrupted
    budget_exceeded: str | None  # the request budget's one line, when it was used up
    fuzz_status_mix: dict[str, dict[str, int]]


@dataclass
class RunSession:
    """Everything the plugin keeps for one pytest session (xdist workers' contributions included)."""

    run_config: RunConfig | None = None
    preflight_done: bool = False
    configured: bool = False  # redactor built and traffic limits installed for this session
    active: bool = False  # True once the session collected (or, under xdist, received) a check
    recorder: Recorder = field(default_factory=Recorder)
    ledger: Ledger = field(default_factory=Ledger)
    results: dict[str, TestResult] = field(default_factory=dict)
    redactor: Redactor = field(default_factory=Redactor)
    clients: list[Client] = field(default_factory=list)
    provisioners: list[Provisioner] = field(default_factory=list)
    stop_reason: str | None = None  # why the run stopped early (budget, static orders ran out, target gone)
    target_stopped: bool = False  # the target stopped answering mid-run: the run could not be judged
    unanswered_checks: set[str] = field(default_factory=set)  # checks cut short by a request left unanswered
    worker_traffic: dict[str, dict[str, Any]] = field(default_factory=dict)  # by xdist worker id
    worker_orders: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # by xdist worker id
    fuzz_status_mix: dict[str, dict[str, int]] = field(default_factory=dict)  # operation -> status -> count

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        """Handed in by the run command: become the session's state before any other plugin looks."""
        config.stash[SESSION] = self

    def created_orders(self) -> list[dict[str, str]]:
        """Orders this session made through the API (mode ``api``), its xdist workers' included."""
        own = [order for made in self.provisioners for order in getattr(made, "created", [])]
        return own + [order for orders in self.worker_orders.values() for order in orders]

    def traffic(self) -> dict[str, Any]:
        """This process's requests and 429s plus those of its xdist workers."""
        return ratelimit.merge_summaries([ratelimit.limiter().summary(), *self.worker_traffic.values()])

    def result(self) -> RunResult:
        """The session's outcome, as the run command and the report writer need it."""
        return RunResult(
            tests=list(self.results.values()),
            latency=latency_summary(latency_samples(self.recorder)),
            recorder=self.recorder,
            traffic=self.traffic(),
            created_orders=self.created_orders(),
            stop_reason=self.stop_reason,
            budget_exceeded=ratelimit.limiter().exceeded,
            fuzz_status_mix=dict(self.fuzz_status_mix),
        )


def run_session(config: pytest.Config) -> RunSession:
    """The session's state object (created by ``conformance.plugin.options`` when nobody handed one in)."""
    return config.stash[SESSION]
