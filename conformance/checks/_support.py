"""Helpers the checks share: status and state expectations that raise typed failures with the evidence.

None of them takes a requirement id: the failing test's ``requirement`` marker supplies it when the
plugin renders the failure (``conformance.failures``), so a call reads
``expect_status(answer, {422}, "rejecting again")``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

import pytest

from conformance.client import Client, Exchange
from conformance.failures import (
    BrokenResponses,
    CheckFailure,
    PreconditionFailed,
    ServerError,
    StateChanged,
    UnexpectedStatus,
)
from conformance.probes import StateProbe, is_success, still_pending
from conformance.provisioning.states import PENDING

DOCUMENTED_STATUSES = frozenset({200, 201, 204, 400, 401, 403, 404, 405, 409, 415, 422, 301, 308, 414, 429})


def evidence(*exchanges: Exchange) -> str:
    """What was sent and what came back, for every exchange (redacted, with curl commands)."""
    return "\n".join(exchange.describe() for exchange in exchanges)


def fail(problem: str, *exchanges: Exchange, kind: type[CheckFailure] = CheckFailure) -> None:
    """Fail the check with a one-line problem followed by every exchange that shows it."""
    __tracebackhide__ = True
    raise kind(problem, evidence(*exchanges))


def expect_status(exchange: Exchange, allowed: Collection[int], what: str = "") -> None:
    """Fail unless the exchange's status is one of ``allowed``."""
    __tracebackhide__ = True
    if exchange.status not in allowed:
        shown = " or ".join(str(status) for status in sorted(allowed))
        fail(f"{what + ': ' if what else ''}expected {shown}, got {exchange.status}", exchange, kind=UnexpectedStatus)


def expect_no_server_error(exchange: Exchange, what: str = "") -> None:
    """Fail on any 5xx."""
    __tracebackhide__ = True
    if exchange.status >= 500:
        fail(f"{what + ': ' if what else ''}server error {exchange.status}", exchange, kind=ServerError)


def expect_state(probe: StateProbe, *exchanges: Exchange) -> None:
    """Fail when a state probe says the state is not what it should be."""
    __tracebackhide__ = True
    if not probe.ok:
        fail("state changed: " + probe.message(), *exchanges, kind=StateChanged)


def precondition(exchange: Exchange, what: str) -> None:
    """Fail (naming the precondition) unless the exchange succeeded with a 2xx."""
    __tracebackhide__ = True
    if not is_success(exchange.status):
        fail(f"precondition failed: {what} answered {exchange.status}, expected 2xx", exchange,
             kind=PreconditionFailed)  # fmt: skip


def audit(exchanges: Iterable[tuple[str, Exchange]], problem_of: Callable[[Exchange], str | None]) -> None:
    """Fail naming every recorded ``(check, exchange)`` for which ``problem_of`` finds a problem (five shown)."""
    __tracebackhide__ = True
    problems = [(check, exchange, problem) for check, exchange in exchanges if (problem := problem_of(exchange))]
    if problems:
        shown = problems[:5]
        text = "\n".join(
            f"- {problem} (received by {check or 'this check'})\n{exchange.describe()}"
            for check, exchange, problem in shown
        )
        more = f"\n(and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
        check, first, problem = problems[0]
        where = f"{first.method} {first.url} -> {first.status}, in {_short(check)}"
        raise BrokenResponses(f"{len(problems)} response(s) break it (first: {problem}, {where}):", text + more)


def _short(nodeid: str) -> str:
    return nodeid.rsplit("::", 1)[-1] if nodeid else "this check"


def attempt_on_pending(
    client: Client,
    fresh_order: Callable[[str], str],
    request: pytest.FixtureRequest,
    send: Callable[[str], Exchange],
    *,
    state: str = PENDING,
    owner: str = "supplier",
) -> tuple[Exchange, StateProbe]:
    """Make a refused attempt on a fresh pending order, then probe that it is still pending.

    The probe goes into REJ-037's ledger before the caller asserts anything, so a check that fails on
    its status still tells REJ-037 whether the state changed. ``owner`` is the role that owns the order
    (the one whose reject must still succeed).
    """
    order = fresh_order(state)
    attempt = send(order)
    probe = still_pending(client, order, owner)
    ledger = request.getfixturevalue("ledger")
    ledger.record(request.node.nodeid, probe, attempt)
    return attempt, probe
