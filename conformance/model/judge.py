"""Judging a scenario's observations of one order, and naming the step that broke the contract.

The model tracks the set of states an order may be in (one, for a conformant server: a 2xx applies the
request's transition, anything else leaves the state). An observation the set cannot explain fails the
scenario. Often the wrong step is an earlier one: a refused request that changed the state is only seen
when a later request or probe meets the changed state. ``culprits`` finds the earlier steps after which
some other state explains everything observed since, so the failure names the rows *that* step broke
(e.g. REJ-041 and REJ-037 for a refused permission that rejected the cancellation anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.model.actors import Actor
from conformance.model.expect import Expectation, expect
from conformance.model.linearize import Member, impossible_members, linearize, reachable
from conformance.model.requests import CONFIRM, REJECT, Request
from conformance.model.states import CONFIRMED, NONE, PENDING, REJECTED, Order

States = frozenset[str]
#: The other states a culprit may have left, most plausible first (a stray reject, a stray confirm, a reopening).
LIKELY_FIRST = (REJECTED, CONFIRMED, PENDING, NONE)


@dataclass(frozen=True)
class Sent:
    """One request and its status."""

    actor: Actor
    request: Request
    status: int


@dataclass(frozen=True)
class Seen:
    """The order detail's verdict: cancelled (every line item Cancelled) or not."""

    cancelled: bool


@dataclass(frozen=True)
class Together:
    """A group of simultaneous requests and their statuses."""

    members: tuple[Member, ...]


Observation = Sent | Seen | Together


def after(order: Order, states: States, observation: Observation) -> States:
    """The states the order may be in after ``observation`` (empty: the observation is impossible)."""
    result: set[str] = set()
    for state in states:
        here = order.moved_to(state)
        if isinstance(observation, Sent):
            result |= expect(here, observation.actor, observation.request).next_states(observation.status)
        elif isinstance(observation, Seen):
            if (state == CONFIRMED) == observation.cancelled:
                result.add(state)
        else:
            result |= {found.final_state for found in linearize(here, observation.members)}
    return frozenset(result)


def replay(order: Order, states: States, observations: Sequence[Observation]) -> States:
    """The states left after every observation in turn (empty as soon as one is impossible)."""
    for observation in observations:
        states = after(order, states, observation)
        if not states:
            return states
    return states


def culprits(order: Order, start: States, observations: Sequence[Observation]) -> list[tuple[int, str]]:
    """Earlier steps after which another state explains everything since, with that state (latest first).

    ``observations[-1]`` is the one the model could not explain.
    """
    found: list[tuple[int, str]] = []
    states = [start]
    for observation in observations[:-1]:
        states.append(after(order, states[-1], observation))
    for index in range(len(observations) - 2, -1, -1):
        if isinstance(observations[index], Seen):  # reading the detail changes nothing
            continue
        for other in LIKELY_FIRST:
            if other in states[index + 1]:
                continue
            if replay(order, frozenset({other}), observations[index + 1 :]):
                found.append((index, other))
    return found


def cell(order: Order, states: States, observation: Sent) -> Expectation:
    """The cell of a sent request in the first of the states the order may be in."""
    return expect(order.moved_to(sorted(states)[0]), observation.actor, observation.request)


def blame_answer(order: Order, states: States, observation: Observation) -> tuple[str, ...]:
    """The rows an impossible observation breaks by itself."""
    if isinstance(observation, Sent):
        return _union(expect(order.moved_to(state), observation.actor, observation.request).blame_status()
                      for state in states)  # fmt: skip
    if isinstance(observation, Seen):
        return ("REJ-002",) if observation.cancelled else ("REJ-012",)
    members = observation.members
    during = frozenset().union(*(reachable(order.moved_to(state), members) for state in states))
    wrong = impossible_members(order, members, sorted(during))
    if wrong:
        return _union(
            expect(order.moved_to(state), members[index].actor, members[index].request).blame_status()
            for index in wrong
            for state in states
        )
    # Too many winners: each success is also judged in the settled states where it must have been refused.
    settled = sorted(during - {PENDING})
    winners = [member for member in members if 200 <= member.status < 300]
    extra = (
        expect(order.moved_to(state), member.actor, member.request).blame_status()
        for member in winners
        for state in settled
        if not expect(order.moved_to(state), member.actor, member.request).next_states(member.status)
    )
    return _union([group_rows(members), *extra])


def blame_change(order: Order, states: States, observation: Observation, seen_state: str) -> tuple[str, ...]:
    """The rows broken when ``observation`` left the order in ``seen_state``, a state the model forbids."""
    if isinstance(observation, Sent):
        return _union(
            expect(order.moved_to(state), observation.actor, observation.request).blame_state(
                seen_state, observation.status
            )
            for state in states
        )
    if isinstance(observation, Together):  # some member changed the state: each member's rows, as if alone
        return _union(
            expect(order.moved_to(state), member.actor, member.request).blame_state(seen_state, member.status)
            for member in observation.members
            for state in states
        )
    return ("REJ-037",)


def group_rows(members: Sequence[Member]) -> tuple[str, ...]:
    """REJ-013 for simultaneous rejects, REJ-014 when a confirm is among them."""
    actions = [member.request.action for member in members]
    rows = []
    if actions.count(REJECT) >= 2:
        rows.append("REJ-013")
    if CONFIRM in actions:
        rows.append("REJ-014")
    return tuple(rows) or ("REJ-013",)


def _union(groups) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(dict.fromkeys(row for group in groups for row in group))
