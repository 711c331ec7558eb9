"""Identifier strategies: order UUIDs that mix generated values with orders from provisioning.

Random UUIDs name no order, so plain fuzzing only ever reaches the 404 branch. The strategy registered
here for the OpenAPI ``uuid`` format (the Schemathesis way: ``schemathesis.openapi.format``) also draws
orders in each provider state: a fresh pending cancellation (2xx), orders the action cannot apply to
(422) and another organization's order (403/404).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import schemathesis
from hypothesis import strategies as st

from conformance.errors import TargetError
from conformance.fuzz.binding import bound
from conformance.provisioning import NoOrder, Provisioner
from conformance.provisioning.states import (
    CONFIRMED,
    OTHER_SUPPLIER_PENDING,
    PENDING,
    REJECTED,
    WITHOUT_CANCELLATION,
)

UUID_FORMAT = "uuid"

#: What one draw may produce, by weight: an order in a provider state or a generated UUID. Hypothesis
#: favours the first entries, so the states whose branches random data never reaches come first;
#: generated UUIDs also come from the examples, coverage and negative cases, which skip this strategy.
GENERATED = "generated"
#: A fresh pending cancellation's UUID in upper case (REJ-022: the same order, 2xx, or 404; never 5xx).
UPPERCASE_PENDING = "uppercase pending"
DRAW_WEIGHTS: tuple[tuple[str, int], ...] = (
    (PENDING, 2),
    (UPPERCASE_PENDING, 1),
    (WITHOUT_CANCELLATION, 2),
    (CONFIRMED, 2),
    (REJECTED, 1),
    (OTHER_SUPPLIER_PENDING, 1),
    (GENERATED, 1),
)
NON_PENDING_STATES = (WITHOUT_CANCELLATION, REJECTED, CONFIRMED, OTHER_SUPPLIER_PENDING)
#: Orders per reusable state. Hypothesis skips a choice it has already tried, so several orders per
#: state give the positive examples enough distinct choices to reach every branch.
SLOTS = 4


class IdentifierPool:
    """Orders from provisioning for the strategy: fresh pending ones up to a budget, the others reused.

    A pending cancellation is used up by its first successful reject, so each draw of ``PENDING`` sets up
    a new one until ``max_pending`` have been made; the states that a conformant reject leaves unchanged
    are set up once per slot (``SLOTS``) and reused. With ``reuse=False`` every draw sets up a new order
    (the stateful phase: what a scenario does to an order must not change what the next one draws).
    """

    def __init__(self, provisioner: Provisioner, max_pending: int, *, reuse: bool = True) -> None:
        self._provisioner = provisioner
        self._max_pending = max_pending
        self._reuse = reuse
        self._pending_made = 0
        self._last_pending: str | None = None
        self._handed_out: set[str] = set()
        self._state_of: dict[str, str] = {}
        self._reusable: dict[tuple[str, int], str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"IdentifierPool(pending_made={self._pending_made}, reusable={len(self._reusable)})"

    @property
    def pending_made(self) -> int:
        """How many pending cancellations this pool has set up."""
        return self._pending_made

    def settled_state(self, order_uuid: str) -> str | None:
        """The provider state of a reused order, which a conformant target never changes (None otherwise:
        pending orders, orders this pool did not set up, and every order of a pool without reuse)."""
        with self._lock:
            return self._state_of.get(order_uuid) if self._reuse else None

    def provisioned(self) -> set[str]:
        """Every order UUID this pool has set up (in any state, including ones it no longer reuses)."""
        with self._lock:
            return set(self._handed_out)

    def prepare(self) -> None:
        """Set up one order per state now, so a provisioning failure surfaces before fuzzing (TargetError).

        A static list that is empty or runs out is no failure: those draws fall back to generated UUIDs.
        """
        for state in NON_PENDING_STATES:
            self.take(state, strict=True)
        self.take(PENDING, strict=True)

    def take(self, state: str, slot: int = 0, *, strict: bool = False) -> str | None:
        """An order in ``state`` (the ``slot``-th one of a reusable state); None when provisioning cannot
        give one (a ``strict`` take lets a TargetError propagate)."""
        with self._lock:
            try:
                if state == PENDING:
                    return self._take_pending()
                key = (state, slot % SLOTS)
                if key not in self._reusable or not self._reuse:
                    self._reusable[key] = self._provisioner.order(state)
                    self._handed_out.add(self._reusable[key])
                    self._state_of[self._reusable[key]] = state
                return self._reusable[key]
            except NoOrder:
                return None
            except TargetError:
                if strict:
                    raise
                return None

    def fresh(self, state: str) -> str | None:
        """A newly set-up order in ``state`` whatever the budget (None when provisioning cannot give one)."""
        with self._lock:
            try:
                order = self._provisioner.order(state)
            except (NoOrder, TargetError):
                return None
            self._handed_out.add(order)
            return order

    def _take_pending(self) -> str | None:
        if self._pending_made < self._max_pending or not self._reuse:
            self._last_pending = self._provisioner.order(PENDING)
            self._handed_out.add(self._last_pending)
            self._pending_made += 1
        return self._last_pending


def active_pool() -> IdentifierPool | None:
    """The pool the strategy currently draws from (None outside a run or without state changes)."""
    return bound().pool


def _from_active_pool(choice: tuple[str, int, str]) -> str:
    kind, slot, generated = choice
    pool = active_pool()
    if kind == GENERATED or pool is None:
        return generated
    if kind == UPPERCASE_PENDING:
        identifier = pool.take(PENDING, slot)
        return generated if identifier is None else identifier.upper()
    identifier = pool.take(kind, slot)
    return generated if identifier is None else identifier


def order_identifiers(source: Callable[[tuple[str, int, str]], str] = _from_active_pool) -> st.SearchStrategy[str]:
    """A strategy of order UUIDs: generated ones mixed, by ``DRAW_WEIGHTS``, with provisioned ones.

    Every draw makes the same choices (kind, slot, a generated UUID) whatever the pool answers, so
    Hypothesis sees consistent data generation even when provisioning runs dry mid-run.
    """
    kinds = [kind for kind, weight in DRAW_WEIGHTS for _ in range(weight)]
    return st.tuples(st.sampled_from(kinds), st.integers(0, SLOTS - 1), st.uuids().map(str)).map(source)


def register_identifier_format() -> None:
    """Register ``order_identifiers()`` for the OpenAPI ``uuid`` string format with Schemathesis."""
    schemathesis.openapi.format(UUID_FORMAT, order_identifiers())
