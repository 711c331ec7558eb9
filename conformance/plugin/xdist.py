"""The xdist hand-off: each worker's share of the limits and static orders, and what it reports back.

A worker takes ``worker_share`` of the rate, the budget and the static order lists; when it finishes it
hands its traffic, the orders it created and its stop reason to the controller, which reports the run.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import ratelimit
from conformance.plugin.keys import WORKER_ORDERS, WORKER_STOP, WORKER_TRAFFIC
from conformance.plugin.session import run_session


def worker_share(config: pytest.Config) -> tuple[int, int]:
    """This session's ``(index, count)`` among xdist workers (its own identity, not the environment's)."""
    worker = getattr(config, "workerinput", None)
    return (int(worker["workerid"].removeprefix("gw")), int(worker["workercount"])) if worker else (0, 1)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Collect an xdist worker's traffic, orders and stop reason (the controller reports the whole run)."""
    output = getattr(node, "workeroutput", None) or {}
    session = run_session(node.config)
    worker = str((getattr(node, "workerinput", None) or {}).get("workerid", id(node)))
    if output.get(WORKER_TRAFFIC):  # xdist may report a worker down more than once: keep one per worker
        session.worker_traffic[worker] = output[WORKER_TRAFFIC]
    if output.get(WORKER_ORDERS):
        session.worker_orders[worker] = list(output[WORKER_ORDERS])
    if output.get(WORKER_STOP) and session.stop_reason is None:
        session.stop_reason = str(output[WORKER_STOP])


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On an xdist worker: hand its traffic, created orders and stop reason to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is None:
        return
    state = run_session(session.config)
    workeroutput[WORKER_TRAFFIC] = ratelimit.limiter().summary()
    workeroutput[WORKER_ORDERS] = state.created_orders()
    workeroutput[WORKER_STOP] = state.stop_reason or ratelimit.limiter().exceeded
