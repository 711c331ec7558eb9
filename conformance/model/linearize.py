"""Judging simultaneous requests by linearizability (as Knossos and Porcupine do, by brute force).

A group of requests sent together on one order is correct when some serial order of the group explains
every answer under the model: each answer is one ``expect`` allows in the state the earlier requests of
that order left, and the order's state afterwards is the state the last one left. Groups are small (at
most 8), so a depth-first search over orders with memoised (remaining, state) pairs is instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.model.actors import Actor
from conformance.model.expect import expect
from conformance.model.requests import REJECT, Request
from conformance.model.states import CONFIRMED, PENDING, REJECTED, Order


@dataclass(frozen=True)
class Member:
    """One request of a group and the status it got."""

    actor: Actor
    request: Request
    status: int


@dataclass(frozen=True)
class Linearization:
    """A serial order of the group's members that explains every answer, and the state it leaves."""

    order: tuple[int, ...]
    final_state: str


def linearize(order: Order, members: Sequence[Member]) -> list[Linearization]:
    """Every distinct final state some serial order of ``members`` explains (one witness each); [] if none."""
    memo: dict[tuple[frozenset[int], str], dict[str, tuple[int, ...]]] = {}
    cells: dict[tuple[int, str], frozenset[str]] = {}

    def after(index: int, state: str) -> frozenset[str]:
        if (index, state) not in cells:
            member = members[index]
            cells[(index, state)] = expect(order.moved_to(state), member.actor, member.request).next_states(
                member.status
            )
        return cells[(index, state)]

    def finals(remaining: frozenset[int], state: str) -> dict[str, tuple[int, ...]]:
        if not remaining:
            return {state: ()}
        key = (remaining, state)
        if key not in memo:
            result: dict[str, tuple[int, ...]] = {}
            for index in sorted(remaining):
                for next_state in after(index, state):
                    for final, rest in finals(remaining - {index}, next_state).items():
                        result.setdefault(final, (index, *rest))
            memo[key] = result
        return memo[key]

    explained = finals(frozenset(range(len(members))), order.state)
    return [Linearization(witness, final) for final, witness in explained.items()]


def reachable(order: Order, members: Sequence[Member]) -> frozenset[str]:
    """States the order can pass through while the group runs (a pending cancellation may be settled)."""
    found = {order.state}
    if order.state == PENDING:
        found |= {REJECTED if member.request.action == REJECT else CONFIRMED for member in members}
    return frozenset(found)


def impossible_members(order: Order, members: Sequence[Member], states: Sequence[str]) -> list[int]:
    """Members whose answer none of ``states`` allows (a wrong answer, not a wrong interleaving)."""
    return [
        index
        for index, member in enumerate(members)
        if not any(
            expect(order.moved_to(state), member.actor, member.request).next_states(member.status) for state in states
        )
    ]
