"""The model stage: a Hypothesis ``RuleBasedStateMachine`` that sends generated scenarios and judges them.

Rules: set up an order in any provider state (through the run's provisioner), name an order that does not
exist, send generated requests, send one to a fresh pending order, stack refused requests on a fresh
pending order before the supplier's reject, read the order's detail, probe with a confirm where that
changes nothing, send a group of 2-8 generated requests together (to an order of the scenario or to a
fresh pending one; judged by linearizability). At the end of each scenario every order is rejected once
more by its owner, then read, so a state changed in silence shows. A run that may not change state uses
only orders that do not exist.

``conformance.model.runner.run_model(context, budget)`` runs the machine in-process, in lanes (the pytest
check, the fault bank's tests and the benchmark share it) and returns a ``ModelRun``: the seed, what was
sent, and the failure if any, as numbered steps with curl commands, the requirement ids its failing step
broke, and Hypothesis's reproduce blob.

It is longer than the project's 300-line mark because one Hypothesis state machine holds its rules, the
tracking of every order and the diagnosis that decides which step to blame; the blame logic is the first
candidate to move out (``judge.py`` already holds the pure part).
"""

from __future__ import annotations

import json
import string
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, precondition, rule

from conformance.client import Client, Exchange
from conformance.curl import curl_command
from conformance.model import driver, judge, responses
from conformance.model.actors import ACTORS, SUPPLIER, Actor, owner_of
from conformance.model.linearize import Member
from conformance.model.requests import CONFIRM_PROBE, PLAIN, Request
from conformance.model.states import CONFIRMED, NONE, PENDING, PROVIDER_STATES, REJECTED, THEIRS, UNKNOWN, Order
from conformance.model.strategies import group_members, provider_states, refusals, single, weighted

DEFAULT_SHRINK_SECONDS = 10.0
#: Hypothesis runs that send at the same time (``--model-lanes``): one waits for an answer, one prepares.
DEFAULT_LANES = 2
#: How much likelier a send goes to an order whose cancellation may be pending.
PENDING_PICK_WEIGHT = 4
PENDING_STATE = "a pending order cancellation"
#: Generated requests one sending step sends (to orders picked one by one).
SENDS_PER_STEP = 3
#: Group sizes 2-8, small ones most often (a race needs two; larger groups cost more requests).
group_sizes = weighted([(2, 40), (3, 25), (4, 15), (5, 8), (6, 5), (7, 4), (8, 3)])


class LaneStopped(BaseException):
    """Raised inside a lane once another lane has failed: Hypothesis lets it through, unjudged."""


class ScenarioFailure(AssertionError):
    """A scenario the model cannot explain: the rows its failing step broke and the numbered steps."""

    def __init__(self, requirements: Sequence[str], headline: str, steps: Sequence[str]) -> None:
        self.requirements = tuple(requirements)
        self.headline = headline
        self.steps = tuple(steps)
        super().__init__(f"{', '.join(self.requirements)}: {headline}")


@dataclass(frozen=True)
class ModelBudget:
    """How much the stage may do: scenarios, steps per scenario, the seed, shrinking."""

    examples: int = 12
    steps: int = 25
    seed: int | None = None
    shrink: bool = True
    shrink_seconds: float = DEFAULT_SHRINK_SECONDS
    lanes: int = DEFAULT_LANES


@dataclass
class ModelContext:
    """What the stage sends with: the client, how to get an order (None: change nothing), who may act."""

    client: Client
    provision: Callable[[str], str] | None = None
    provider_states: tuple[str, ...] = tuple(PROVIDER_STATES)
    state_url: str | None = None
    scenarios: int = 0
    steps: int = 0
    last_failure: ScenarioFailure | None = None  # kept in case Hypothesis ends with a Flaky error instead
    stop: threading.Event = field(default_factory=threading.Event)  # set: stop sending (another lane failed)
    failed: Callable[[], None] = lambda: None  # called at this lane's first failure, to stop the others

    def check_stop(self) -> None:
        """Raise ``LaneStopped`` once the stage should send nothing more."""
        if self.stop.is_set():
            raise LaneStopped

    @property
    def actors(self) -> list[Actor]:
        """Actors whose credential the run has."""
        return [actor for actor in ACTORS if driver.available(self.client, actor)]

    def usable_states(self) -> tuple[str, ...]:
        """Provider states whose orders the stage can also read and settle (their owner's credential is set)."""
        return tuple(
            name for name in self.provider_states
            if PROVIDER_STATES[name].owner != THEIRS or self.client.has("other_supplier")
        )  # fmt: skip


@dataclass
class ModelRun:
    """One run of the stage: seed, scenarios and steps run, requests sent, and the failure (None: passed)."""

    seed: int
    scenarios: int
    steps: int
    requests: int
    failure: ScenarioFailure | None = None
    reproduce_blob: str | None = None

    def report(self) -> str:
        """The failure as printed: headline, numbered steps, the seed and the reproduce blob."""
        if self.failure is None:
            return ""
        lines = [f"{', '.join(self.failure.requirements)}: {self.failure.headline}", "",
                 "Scenario (shrunk by Hypothesis), from the provider state used:"]  # fmt: skip
        lines += list(self.failure.steps)
        lines += ["", f"Replay the same run with: -- --seed {self.seed}"]
        if self.reproduce_blob:
            lines.append(f"Hypothesis reproduce blob: {self.reproduce_blob}")
        else:  # Hypothesis gives none when the scenario did not fail the same way on replay
            lines.append("Hypothesis reproduce blob: none (the target answered differently when the scenario was "
                         "replayed, e.g. a race; replay by hand from the steps above)")  # fmt: skip
        return "\n".join(lines)


@dataclass
class Tracked:
    """An order of the scenario: its label, identifier, provider state, and what was observed of it."""

    label: str
    uuid_text: str
    template: Order
    start: frozenset[str]
    states: frozenset[str]
    provider_state: str | None
    observations: list[judge.Observation] = field(default_factory=list)
    step_numbers: list[int] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"order {self.label}"


def _status_list(statuses: frozenset[int]) -> str:
    return "/".join(str(status) for status in sorted(statuses))


def machine_class(context: ModelContext) -> type[RuleBasedStateMachine]:
    """The state machine class for one run's context."""
    available = context.actors
    states = context.usable_states() if context.provision is not None else ()
    changes_state = bool(states)
    member = group_members(available, SUPPLIER)
    groups = group_sizes.flatmap(lambda size: st.lists(member, min_size=size, max_size=size))

    class ModelScenario(RuleBasedStateMachine):
        """Generated scenarios on orders set up through the run's provisioner."""

        orders = Bundle("orders")

        def __init__(self) -> None:
            super().__init__()
            context.scenarios += 1
            self.tracked: list[Tracked] = []
            self.log: list[str] = []
            self.failed = False

        # --- bookkeeping -----------------------------------------------------------------------

        def _step(self, text: str, *commands: str) -> int:
            number = len([line for line in self.log if not line.startswith("   ")]) + 1
            self.log.append(f"{number}. {text}")
            self.log += [f"   {command}" for command in commands]
            context.steps += 1
            return number

        def _track(self, template: Order, uuid_text: str, provider_state: str | None) -> Tracked:
            label = string.ascii_uppercase[len(self.tracked) % 26] + ("" if len(self.tracked) < 26 else "'")
            start = frozenset({template.state})
            made = Tracked(label, uuid_text, template, start, start, provider_state)
            self.tracked.append(made)
            return made

        def _fail(self, rows: Sequence[str], headline: str) -> None:
            self.failed = True
            context.failed()
            context.last_failure = ScenarioFailure(rows or ("REJ-037",), headline, self.log)
            raise context.last_failure

        def _observe(self, order: Tracked, observation: judge.Observation, number: int) -> None:
            order.observations.append(observation)
            order.step_numbers.append(number)
            explained = judge.after(order.template, order.states, observation)
            if explained:
                order.states = explained
                return
            if isinstance(observation, judge.Together):
                alone = [
                    member for member in dict.fromkeys((m.actor, m.request, m.status) for m in observation.members)
                ]
                wrong = [judge.Sent(*member) for member in alone if self._reproduces(order, judge.Sent(*member), True)]
                if wrong:
                    rows_alone = tuple(dict.fromkeys(
                        row for sent in wrong for row in judge.blame_answer(order.template, order.states, sent)
                    ))  # fmt: skip
                    self._fail(rows_alone, f"step {number} on {order}: a request of the group answers wrongly "
                                           "even alone, on a fresh order in the state the model expected")  # fmt: skip
            if isinstance(observation, judge.Sent) and self._reproduces(order, observation):
                rows_now = judge.blame_answer(order.template, order.states, observation)
                self._fail(rows_now, f"step {number} on {order}: the answer is not one the contract allows "
                                     f"(model state {'/'.join(sorted(order.states))}); a fresh order in that "
                                     "state answers the same")  # fmt: skip
            actual = self._diagnose(order)
            found = [
                (index, other)
                for index, other in judge.culprits(order.template, order.start, order.observations)
                if actual is None  # no diagnosis possible: any earlier step that explains it
                or judge.replay(order.template, frozenset({other}), order.observations[index + 1 :]) & actual
            ]
            if found:
                rows: list[str] = []
                found = list(dict((index, (index, other)) for index, other in found).values())  # one per step
                if len(found) > 1:  # several steps could have done it: keep those that do it alone, if any
                    alone = [(index, other) for index, other in found if self._changes_alone(order, index, other)]
                    found = alone or found
                for index, other in found:
                    before = judge.replay(order.template, order.start, order.observations[:index])
                    rows += judge.blame_change(order.template, before, order.observations[index], other)
                steps = " or ".join(f"step {order.step_numbers[index]}" for index, _ in found)
                headline = (f"{order} was left {found[0][1]} by {steps}, which the contract forbids; "
                            f"step {number} shows it")  # fmt: skip
                self._fail(tuple(dict.fromkeys(rows)), headline)
            rows_now = judge.blame_answer(order.template, order.states, observation)
            self._fail(rows_now, f"step {number} on {order}: the answer is not one the contract allows "
                                 f"(model state {'/'.join(sorted(order.states))})")  # fmt: skip

        def _fresh(self, order: Tracked, candidates: frozenset[str]) -> Tracked | None:
            """A fresh order like ``order`` in the first of ``candidates`` a provider state makes, or None."""
            if not order.template.exists or not changes_state:
                return None
            state = sorted(candidates)[0]
            names = [name for name, made in PROVIDER_STATES.items() if made == order.template.moved_to(state)]
            return self.set_up(names[0]) if names and names[0] in states else None

        def _changes_alone(self, order: Tracked, index: int, other: str) -> bool:
            """Send step ``index``'s request alone to a fresh order in the state the model had before it; True
            when that leaves the fresh order ``other`` (so the step does it by itself)."""
            observation = order.observations[index]
            if not isinstance(observation, judge.Sent):
                return False
            before = judge.replay(order.template, order.start, order.observations[:index])
            fresh = self._fresh(order, before) if before else None
            if fresh is None:
                return False
            exchange = driver.send(context.client, observation.actor, observation.request, fresh.uuid_text)
            self._step(f"{fresh}: confirmation of step {order.step_numbers[index]} alone: {observation.actor.name} "
                       f"{observation.request.label()} -> {exchange.status}",
                       driver.reproduce(exchange, observation.actor.role))  # fmt: skip
            actual = self._diagnose(fresh)
            fresh.template = fresh.template.moved_to("gone")  # not settled again at teardown
            return actual is not None and other in actual

        def _reproduces(self, order: Tracked, observation: judge.Sent, strict: bool = False) -> bool:
            """Send the surprising request again to a fresh order in the state the model expected; True when
            the answer is wrong there too (the step is wrong by itself, not an earlier step that changed state).

            Where no fresh order can be made, the step is taken as wrong by itself (``strict``: as not).
            """
            fresh = self._fresh(order, order.states)
            if fresh is None:
                return not strict
            exchange = driver.send(context.client, observation.actor, observation.request, fresh.uuid_text)
            cell = judge.expect(fresh.template, observation.actor, observation.request)
            self._step(f"{fresh}: confirmation: {observation.actor.name} {observation.request.label()} -> "
                       f"{exchange.status} (model allows {_status_list(cell.statuses)})",
                       driver.reproduce(exchange, observation.actor.role))  # fmt: skip
            fresh.template = fresh.template.moved_to("gone")  # not settled again at teardown
            return not cell.next_states(exchange.status)

        def _diagnose(self, order: Tracked) -> frozenset[str] | None:
            """After an answer the model cannot explain: read the order's actual state (the owner's detail,
            then the owner's reject), so the failure blames the step that changed it, or the answer itself."""
            if not order.template.exists or not changes_state:
                return None
            owner = owner_of(order.template.owner)
            detail = driver.read_detail(context.client, order.uuid_text, owner.role or "supplier")
            if _cancelled(detail):
                actual = frozenset({CONFIRMED})
                self._step(f"{order}: diagnosis: its detail shows it cancelled", driver.reproduce(detail, owner.role))
                return actual
            probe = driver.send(context.client, owner, PLAIN, order.uuid_text)
            actual = frozenset({PENDING}) if 200 <= probe.status < 300 else frozenset({REJECTED, NONE})
            self._step(f"{order}: diagnosis: not cancelled, and the owner's reject answers {probe.status} "
                       f"(so it was {' or '.join(sorted(actual))})", driver.reproduce(probe, owner.role))  # fmt: skip
            return actual

        def _check_response(self, exchange: Exchange, request: Request, order: Tracked, number: int) -> None:
            segment = unquote(request.path(order.uuid_text).split("/")[4])
            found = responses.problems(
                action=request.action, status=exchange.status, headers=exchange.headers, body=exchange.body,
                url=exchange.url, slashed_path=None if request.slash else request.slashed_path(order.uuid_text),
                sent_markup=segment if "<" in segment else None,
            )  # fmt: skip
            if found:
                self._fail(tuple(dict.fromkeys(row for row, _ in found)),
                           f"step {number}: " + "; ".join(problem for _, problem in found))  # fmt: skip

        def _send(self, order: Tracked, actor: Actor, request: Request) -> None:
            context.check_stop()
            exchange = driver.send(context.client, actor, request, order.uuid_text)
            cell = judge.cell(order.template, order.states, judge.Sent(actor, request, exchange.status))
            allowed = set().union(*(judge.expect(order.template.moved_to(s), actor, request).statuses
                                    for s in order.states))  # fmt: skip
            number = self._step(
                f"{order}: {actor.name} {request.label()} -> {exchange.status} "
                f"(model allows {_status_list(frozenset(allowed))}; rows {', '.join(cell.requirements)})",
                driver.reproduce(exchange, actor.role),
            )
            self._check_response(exchange, request, order, number)
            self._observe(order, judge.Sent(actor, request, exchange.status), number)

        # --- rules -----------------------------------------------------------------------------

        @precondition(lambda self: changes_state)
        @rule(target=orders, state=provider_states(states) if states else st.just(""))
        def set_up(self, state: str) -> Tracked:
            """Set up an order in a provider state."""
            assert context.provision is not None
            context.check_stop()
            uuid_text = context.provision(state)
            commands = []
            if context.state_url:
                payload = json.dumps({"action": "setup", "state": state, "params": {}})
                commands.append(curl_command("POST", context.state_url,
                                             [("Content-Type", "application/json")], payload, {}))  # fmt: skip
            made = self._track(PROVIDER_STATES[state], uuid_text, state)
            self._step(f'provider state "{state}" -> {made} = {uuid_text}', *commands)
            return made

        @precondition(lambda self: changes_state and PENDING_STATE in states)
        @rule(target=orders)
        def set_up_pending(self) -> Tracked:
            """Set up an order with a pending cancellation (most cells differ there; sends consume them)."""
            return self.set_up(PENDING_STATE)

        @precondition(lambda self: not changes_state or not any(not o.template.exists for o in self.tracked))
        @rule(target=orders)
        def name_no_order(self) -> Tracked:
            """An identifier that names no order."""
            made = self._track(UNKNOWN, str(uuid.uuid4()), None)
            self._step(f"{made} = {made.uuid_text}, a well-formed UUID that names no order")
            return made

        def _pick(self, data: st.DataObject, fallback: Tracked) -> Tracked:
            """An order to send to: pending ones are picked more often (most cells differ there)."""
            weights = [(order, PENDING_PICK_WEIGHT if PENDING in order.states else 1) for order in self.tracked]
            return data.draw(weighted(weights), label="order") if weights else fallback

        def _send_generated(self, order: Tracked, sent: list[tuple[Actor, Request]], data: st.DataObject) -> None:
            """Send each generated request to an order picked for it (``order`` when none is tracked)."""
            for actor, request in sent:
                self._send(self._pick(data, order), actor, request)

        @rule(
            order=orders,
            sent=st.lists(single(available, SUPPLIER), min_size=1, max_size=SENDS_PER_STEP),
            data=st.data(),
        )
        def send(self, order: Tracked, sent: list[tuple[Actor, Request]], data: st.DataObject) -> None:
            """Send one generated request."""
            self._send_generated(order, sent, data)

        @rule(
            order=orders,
            sent=st.lists(single(available, SUPPLIER), min_size=1, max_size=SENDS_PER_STEP),
            data=st.data(),
        )
        def send_again(self, order: Tracked, sent: list[tuple[Actor, Request]], data: st.DataObject) -> None:
            """Send one generated request (more rules that send make sending the most frequent step)."""
            self._send_generated(order, sent, data)

        @rule(
            order=orders,
            sent=st.lists(single(available, SUPPLIER), min_size=1, max_size=SENDS_PER_STEP),
            data=st.data(),
        )
        def send_once_more(self, order: Tracked, sent: list[tuple[Actor, Request]], data: st.DataObject) -> None:
            """Send one generated request."""
            self._send_generated(order, sent, data)

        @precondition(lambda self: changes_state and PENDING_STATE in states)
        @rule(sent=single(available, SUPPLIER))
        def send_to_fresh_pending(self, sent: tuple[Actor, Request]) -> None:
            """Set up a pending order and send it one generated request: the cell where most answers and
            changes differ (earlier sends have usually settled the scenario's pending orders)."""
            self._send(self.set_up(PENDING_STATE), *sent)

        @precondition(lambda self: changes_state and PENDING_STATE in states and len(available) > 1)
        @rule(sent=st.lists(refusals(available, SUPPLIER), min_size=3, max_size=6))
        def refusals_then_reject(self, sent: list[tuple[Actor, Request]]) -> None:
            """Set up a pending order, send 3-6 requests the contract refuses, then the supplier's reject:
            every refusal must leave it pending (REJ-037), so the reject still wins."""
            order = self.set_up(PENDING_STATE)
            for actor, request in sent:
                self._send(order, actor, request)
            self._send(order, SUPPLIER, PLAIN)

        @rule(order=orders)
        def read_detail(self, order: Tracked) -> None:
            """Read the order's detail as its owner; a confirm where no cancellation is pending."""
            if not order.template.exists:
                return
            if PENDING not in order.states:
                self._send(order, SUPPLIER if order.template.owner != THEIRS else owner_of(THEIRS), CONFIRM_PROBE)
                return
            self._read(order)

        def _read(self, order: Tracked) -> None:
            context.check_stop()
            owner = owner_of(order.template.owner)
            exchange = driver.read_detail(context.client, order.uuid_text, owner.role or "supplier")
            cancelled = _cancelled(exchange)
            seen = {True: "cancelled", False: "not cancelled", None: "unreadable"}[cancelled]
            number = self._step(f"{order}: read its detail as {owner.name} -> {exchange.status}, {seen}",
                                driver.reproduce(exchange, owner.role))  # fmt: skip
            if cancelled is None:
                self._fail(("REJ-002",), f"step {number}: the order detail must answer 200 with line_items")
            self._observe(order, judge.Seen(bool(cancelled)), number)

        @rule(
            order=orders,
            members=groups,
            data=st.data(),
        )
        def send_together(self, order: Tracked, members: list[tuple[Actor, Request]], data: st.DataObject) -> None:
            """Send 2-8 generated requests at once; some serial order must explain every answer."""
            self._together(self._pick(data, order), members)

        @precondition(lambda self: changes_state and PENDING_STATE in states)
        @rule(members=groups)
        def race_on_pending(self, members: list[tuple[Actor, Request]]) -> None:
            """Set up a pending order and send 2-8 generated requests to it at once: a race needs one."""
            self._together(self.set_up(PENDING_STATE), members)

        def _together(self, order: Tracked, members: list[tuple[Actor, Request]]) -> None:
            context.check_stop()
            exchanges = driver.send_together(context.client, members, order.uuid_text)
            group = tuple(Member(actor, request, exchange.status)
                          for (actor, request), exchange in zip(members, exchanges, strict=True))  # fmt: skip
            lines = [f"{actor.name} {request.label()} -> {exchange.status}"
                     for (actor, request), exchange in zip(members, exchanges, strict=True)]  # fmt: skip
            number = self._step(f"{order}: {len(members)} requests sent together: " + "; ".join(lines),
                                *(driver.reproduce(exchange, member_actor.role)
                                  for (member_actor, _), exchange in zip(members, exchanges, strict=True)))  # fmt: skip
            for (_, request), exchange in zip(members, exchanges, strict=True):
                self._check_response(exchange, request, order, number)
            self._observe(order, judge.Together(group), number)

        def teardown(self) -> None:
            """Settle every order once more, then read it, so a state changed in silence (by the scenario or by
            that last reject) shows."""
            if not changes_state or self.failed or context.stop.is_set():
                return
            for order in self.tracked:
                if not order.template.exists or order.template.state == "gone":
                    continue
                self._send(order, owner_of(order.template.owner), PLAIN)
                self._read(order)

    ModelScenario.TestCase.settings = settings(deadline=None)
    return ModelScenario


def _cancelled(exchange: Exchange) -> bool | None:
    """True/False from the detail's line items' statuses; None when it is not 200 with line items."""
    if exchange.status != 200:
        return None
    try:
        items = exchange.json()["line_items"]  # type: ignore[index]
        statuses = [str(item["status"]) for item in items]
    except (ValueError, KeyError, TypeError):
        return None
    return bool(statuses) and all(status == "Cancelled" for status in statuses)
