"""Helpers the checks share: failing with what was sent and what came back, status expectations."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

import pytest

from conformance.client import Client, Exchange
from conformance.probes import Verdict, is_success, still_pending
from conformance.provisioning.states import PENDING

DOCUMENTED_STATUSES = frozenset({200, 201, 204, 400, 401, 403, 404, 405, 409, 415, 422, 301, 308, 414, 429})


def fail(requirement: str, problem: str, *exchanges: Exchange) -> None:
    """Fail the check with a one-line problem followed by every exchange that shows it."""
    details = "\n".join(exchange.describe() for exchange in exchanges)
    pytest.fail(f"{requirement}: {problem}" + (f"\n{details}" if details else ""), pytrace=False)


def expect_status(requirement: str, exchange: Exchange, allowed: Collection[int], what: str = "") -> None:
    """Fail unless the exchange's status is one of ``allowed``."""
    if exchange.status not in allowed:
        shown = " or ".join(str(status) for status in sorted(allowed))
        fail(requirement, f"{what + ': ' if what else ''}expected {shown}, got {exchange.status}", exchange)


def expect_no_server_error(requirement: str, exchange: Exchange, what: str = "") -> None:
    """Fail on any 5xx."""
    if exchange.status >= 500:
        fail(requirement, f"{what + ': ' if what else ''}server error {exchange.status}", exchange)


def expect_verdict(requirement: str, verdict: Verdict, *exchanges: Exchange) -> None:
    """Fail when a state probe says the state is not what it should be."""
    if not verdict.ok:
        fail(requirement, "state changed: " + verdict.message(), *exchanges)


def precondition(requirement: str, exchange: Exchange, what: str) -> None:
    """Fail (naming the precondition) unless the exchange succeeded with a 2xx."""
    if not is_success(exchange.status):
        fail(requirement, f"precondition failed: {what} answered {exchange.status}, expected 2xx", exchange)


def audit(
    requirement: str,
    exchanges: Iterable[tuple[str, Exchange]],
    problem_of: Callable[[Exchange], str | None],
) -> None:
    """Fail naming every recorded ``(check, exchange)`` for which ``problem_of`` finds a problem (five shown)."""
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
        headline = f"{len(problems)} response(s) break it (first: {problem}, {where})"
        pytest.fail(f"{requirement}: {headline}:\n{text}{more}", pytrace=False)


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
) -> tuple[Exchange, Verdict]:
    """Make a refused attempt on a fresh pending order, then probe that it is still pending.

    The verdict goes into REJ-037's ledger before the caller asserts anything, so a check that fails on
    its status still tells REJ-037 whether the state changed. ``owner`` is the role that owns the order
    (the one whose reject must still succeed).
    """
    order = fresh_order(state)
    attempt = send(order)
    verdict = still_pending(client, order, owner)
    ledger = request.getfixturevalue("ledger")
    ledger.record(request.node.nodeid, verdict, attempt)
    return attempt, verdict
