"""Run the model stage: the state machine of ``machine`` in lanes, seeded, bounded, its failure found.

``run_model(context, budget)`` splits the budget's scenarios over ``budget.lanes`` Hypothesis runs that
send at the same time from their own threads, on their own orders: while one lane waits for an answer
another prepares its next request, so the target is kept busy. Each lane's seed derives from the run's
seed, so ``--seed`` replays every lane. The first lane to find a failure stops the others (they send
nothing more) and shrinks it alone; the run reports that lane's failure.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import io
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import hypothesis
import hypothesis.errors
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import get_state_machine_test

from conformance.errors import exception_chain
from conformance.model.machine import LaneStopped, ModelBudget, ModelContext, ModelRun, ScenarioFailure, machine_class
from conformance.recorder import current_label

#: Beyond the lanes' own bounded requests, how long the run waits for a lane to notice it should stop.
LANE_STOP_SECONDS = 60.0
#: How often the run looks whether it was asked to stop while the lanes run.
STOP_POLL_SECONDS = 0.05
#: Spreads the lanes' seeds apart (the 32-bit golden ratio).
LANE_SEED_STEP = 0x9E3779B9


def lane_seeds(seed: int, lanes: int) -> list[int]:
    """Each lane's seed: the run's own for the first, the others derived from it."""
    return [(seed + index * LANE_SEED_STEP) % 2**32 for index in range(lanes)]


@contextmanager
def _shrinking_bounded(seconds: float) -> Iterator[None]:
    """Bound Hypothesis's shrinking to ``seconds`` of wall time (each shrink step talks to the target)."""
    from hypothesis.internal.conjecture import engine

    saved = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = max(1, int(seconds))
    try:
        yield
    finally:
        engine.MAX_SHRINKING_SECONDS = saved


@contextmanager
def _ast_parse_serialized() -> Iterator[None]:
    """Serialize ``ast.parse`` while the lanes run: before Python 3.13 two threads parsing at once can crash
    with "AST constructor recursion depth mismatch" (CPython gh-106905), and Hypothesis parses a lambda's
    source to describe it (preconditions, strategies) from inside the lanes."""
    if sys.version_info >= (3, 13):
        yield
        return
    original = ast.parse
    lock = threading.Lock()

    def parse(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(*args, **kwargs)

    ast.parse = parse  # type: ignore[assignment]
    try:
        yield
    finally:
        ast.parse = original


#: How deep ``find_failure`` looks: Hypothesis may wrap a failure in a Flaky group inside its own errors.
FAILURE_DEPTH = 7


def find_failure(error: BaseException) -> ScenarioFailure | None:
    """The ScenarioFailure inside ``error`` (Hypothesis may wrap it in a Flaky group)."""
    return next((each for each in exception_chain(error, FAILURE_DEPTH) if isinstance(each, ScenarioFailure)), None)


def _blob(error: BaseException) -> str | None:
    for note in getattr(error, "__notes__", ()) or ():
        if "reproduce_failure" in note:
            start = note.find("@reproduce_failure")
            return note[start:].split(" as a decorator")[0] if start >= 0 else note.strip()
    return None


class _Lane:
    """One Hypothesis run of the machine: its context, its test, and how it ended."""

    def __init__(self, context: ModelContext, budget: ModelBudget, examples: int, seed: int) -> None:
        self.context = context
        phases = (Phase.explicit, Phase.generate, Phase.shrink) if budget.shrink else (Phase.explicit, Phase.generate)
        test_settings = settings(
            max_examples=examples,
            stateful_step_count=budget.steps,
            deadline=None,
            database=None,
            derandomize=False,
            print_blob=True,
            report_multiple_bugs=False,
            phases=phases,
            suppress_health_check=list(HealthCheck),
        )
        # Built here, in the calling thread: Hypothesis reads the class's source, which is not thread-safe.
        self.test = hypothesis.seed(seed)(get_state_machine_test(machine_class(context), settings=test_settings))
        self.failure: ScenarioFailure | None = None
        self.blob: str | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        """Run the lane's scenarios; keep its failure, or the error that is not one (no answer...)."""
        try:
            self.test()
        except LaneStopped:
            pass
        except BaseException as error:
            failure = find_failure(error)
            if failure is None and isinstance(error, hypothesis.errors.HypothesisException):
                failure = self.context.last_failure  # a target that answers differently on replay (a race)
            if failure is None:
                self.error = error
                self.context.failed()  # the run ends with this error: the other lanes need not go on
            else:
                self.failure, self.blob = failure, _blob(error)


def first_failure_stops_the_others(contexts: list[ModelContext]) -> None:
    """Wire the lanes' contexts so the first to fail sets every other lane's ``stop`` (never its own)."""
    winner: list[int] = []
    lock = threading.Lock()

    def failed_in(index: int) -> Callable[[], None]:
        def failed() -> None:
            with lock:
                if winner:
                    return
                winner.append(index)
            for other, context in enumerate(contexts):
                if other != index:
                    context.stop.set()

        return failed

    for index, context in enumerate(contexts):
        context.failed = failed_in(index)


def run_model(context: ModelContext, budget: ModelBudget) -> ModelRun:
    """Run the model stage; return what ran and the failure (other errors, e.g. no answer, propagate).

    Setting ``context.stop`` from another thread stops every lane at its next request (the run then
    returns what ran, without a failure). The lanes run in copies of the caller's context, so their
    exchanges carry the caller's label (``conformance.recorder.exchanges_labelled``).
    """
    seed = budget.seed if budget.seed is not None else random.SystemRandom().randrange(2**32)
    count = max(1, min(budget.lanes, budget.examples))
    contexts = [replace(context, scenarios=0, steps=0, last_failure=None, stop=threading.Event())
                for _ in range(count)]  # fmt: skip
    first_failure_stops_the_others(contexts)
    shares = [budget.examples // count + (1 if index < budget.examples % count else 0) for index in range(count)]
    planned = zip(contexts, shares, lane_seeds(seed, count), strict=True)
    sent_before = len(context.client.recorder)
    label = current_label()
    # Hypothesis's own notes (e.g. on slow shrinking) would only confuse a failure's reader.
    with _shrinking_bounded(budget.shrink_seconds), _ast_parse_serialized(), contextlib.redirect_stdout(io.StringIO()):
        lanes = [_Lane(lane_context, budget, examples, lane_seed) for lane_context, examples, lane_seed in planned]
        threads = [threading.Thread(target=contextvars.copy_context().run, args=(lane.run,),
                                    name=f"crux-model-lane-{index}", daemon=True)
                   for index, lane in enumerate(lanes)]  # fmt: skip
        try:
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                if context.stop.is_set():
                    _stop_lanes(contexts, threads)
                for thread in threads:
                    thread.join(STOP_POLL_SECONDS)
        except BaseException:  # an interrupt: the lanes stop at their next request, within a bound
            _stop_lanes(contexts, threads)
            raise
    errors = [lane.error for lane in lanes if lane.error is not None]
    failed = [lane for lane in lanes if lane.failure is not None]
    if errors and not failed:
        raise errors[0]
    run = ModelRun(seed, sum(c.scenarios for c in contexts), sum(c.steps for c in contexts), 0)
    if failed:
        run.failure, run.reproduce_blob = failed[0].failure, failed[0].blob
    recorder = context.client.recorder
    run.requests = recorder.count_labelled(label, sent_before) if label else len(recorder) - sent_before
    return run


def _stop_lanes(contexts: list[ModelContext], threads: list[threading.Thread]) -> None:
    for lane_context in contexts:
        lane_context.stop.set()
    deadline = time.monotonic() + LANE_STOP_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
