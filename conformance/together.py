"""Requests released together: one thread each, one barrier, every wait bounded.

The REJ-013/014 race checks and the model stage's groups send several requests at once. Each comes from
a thread of one process-wide pool whose connections stay open between groups, so the barrier releases
requests, not TCP or TLS handshakes. A thread whose connection may have gone cold (never used, or idle
longer than ``WARM_SECONDS``, past many servers' keep-alive) first opens it with a cheap request.
A thread that fails before the barrier breaks it, so the others stop waiting at once. A group takes all
its threads before any is released, so groups sent at once from several threads (model lanes, a race
check) wait for room in the pool instead of holding part of it at a barrier. Each request runs in a copy
of its caller's context, so it is recorded under the caller's label (``exchanges_labelled``).
"""

from __future__ import annotations

import contextvars
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from conformance.client import Client

T = TypeVar("T")

#: The most requests one group may hold (``[checks] concurrency`` is at most 64).
MAX_TOGETHER = 64
#: A connection idle longer than this is opened again before the barrier.
WARM_SECONDS = 1.0
#: Beyond the warm-up requests' own timeouts, how long the barrier waits for the slowest thread.
BARRIER_SLACK_SECONDS = 5.0

_LOCAL = threading.local()


class _Pool:
    """The process's threads for simultaneous requests, handed out a whole group at a time."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=MAX_TOGETHER, thread_name_prefix="crux-together")
        self._room = threading.Condition()
        self._free = MAX_TOGETHER

    def take(self, count: int, timeout: float) -> None:
        """Reserve ``count`` threads, waiting at most ``timeout`` seconds for other groups to finish."""
        with self._room:
            if not self._room.wait_for(lambda: self._free >= count, timeout=timeout):
                raise RuntimeError(f"no room for {count} simultaneous requests within {timeout:g}s")
            self._free -= count

    def give_back(self, count: int) -> None:
        """Return threads a finished group held."""
        with self._room:
            self._free += count
            self._room.notify_all()


_POOLS: dict[int, _Pool] = {}  # by process id: a forked child must not use its parent's threads


def _pool() -> _Pool:
    pool = _POOLS.get(os.getpid())
    if pool is None:  # setdefault is atomic: two first callers still share one pool (its threads start lazily)
        pool = _POOLS.setdefault(os.getpid(), _Pool())
    return pool


def _cold(client: Client) -> bool:
    last_used: dict[int, float] = _LOCAL.__dict__.setdefault("last_used", {})
    return time.monotonic() - last_used.get(id(client), float("-inf")) > WARM_SECONDS


def _used(client: Client) -> None:
    _LOCAL.__dict__.setdefault("last_used", {})[id(client)] = time.monotonic()


def release_together(client: Client, sends: Sequence[Callable[[], T]], warm_up: Callable[[], object]) -> list[T]:
    """Run every ``send`` on its own pool thread, all released by one barrier; their results in order.

    ``warm_up`` opens a cold thread's connection (it is not part of the group). The first error of any
    thread is raised once every thread has finished.
    """
    if not 1 <= len(sends) <= MAX_TOGETHER:
        raise ValueError(f"a group holds 1 to {MAX_TOGETHER} requests, got {len(sends)}")
    barrier_seconds = client.timeouts.longest_request() + BARRIER_SLACK_SECONDS
    barrier = threading.Barrier(len(sends), timeout=barrier_seconds)

    def one(send: Callable[[], T]) -> T:
        try:
            if _cold(client):
                warm_up()
            barrier.wait()
        except BaseException:
            barrier.abort()
            raise
        try:
            return send()
        finally:
            _used(client)

    pool = _pool()
    # A thread waits at most for its warm-up, the barrier and its request: each bounded by the timeouts.
    group_seconds = 2 * client.timeouts.longest_request() + barrier_seconds + BARRIER_SLACK_SECONDS
    pool.take(len(sends), timeout=group_seconds)
    futures: list[Future[T]] = []
    try:
        for send in sends:
            futures.append(pool.executor.submit(contextvars.copy_context().run, one, send))
            futures[-1].add_done_callback(lambda _: pool.give_back(1))  # a thread is free once its request is
    finally:
        pool.give_back(len(sends) - len(futures))  # none, unless the pool refused work (interpreter exit)
    deadline = time.monotonic() + group_seconds
    try:
        errors = [future.exception(timeout=max(0.0, deadline - time.monotonic())) for future in futures]
    except TimeoutError as error:  # concurrent.futures.TimeoutError is TimeoutError from Python 3.11
        barrier.abort()
        raise RuntimeError("simultaneous requests did not finish within their timeouts") from error
    found = [error for error in errors if error is not None]
    causes = [error for error in found if not isinstance(error, threading.BrokenBarrierError)]
    if found:
        raise (causes or found)[0]  # the cause, not the barrier it broke
    return [future.result() for future in futures]
