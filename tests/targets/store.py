"""The in-memory order store: organizations' orders, cancellation states, atomic transitions.

One lock guards every read-modify-write, so concurrent rejects and confirms have exactly one
winner. The race faults (``reject-race``, ``reject-confirm-race``) widen a read-then-write gap
on purpose, each at one place below.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

SUPPLIER_ORG = "supplier-a"
OTHER_SUPPLIER_ORG = "supplier-b"
RETAILER_ORG = "retailer-r"

PENDING = "pending"
REJECTED = "rejected"
CONFIRMED = "confirmed"

OPEN_ITEM = "Unallocated"
CANCELLED_ITEM = "Cancelled"

# Provider-state name -> (supplier organization, cancellation state), as CONTRACT.md names them.
PROVIDER_STATES: dict[str, tuple[str, str | None]] = {
    "a pending order cancellation": (SUPPLIER_ORG, PENDING),
    "an order without a cancellation request": (SUPPLIER_ORG, None),
    "a rejected order cancellation": (SUPPLIER_ORG, REJECTED),
    "a confirmed order cancellation": (SUPPLIER_ORG, CONFIRMED),
    "another supplier's pending order cancellation": (OTHER_SUPPLIER_ORG, PENDING),
}

RACE_WINDOW_SECONDS = 0.1


@dataclass
class LineItem:
    """One line item of an order; its status turns Cancelled when the cancellation is confirmed."""

    line_item_uuid: str
    sku_id: str
    status: str = OPEN_ITEM


@dataclass
class Order:
    """An order with its supplier and retailer organizations and its cancellation state."""

    order_uuid: str
    supplier_org: str
    retailer_org: str
    cancellation: str | None
    line_items: list[LineItem] = field(default_factory=list)

    def detail(self) -> dict[str, object]:
        """The order as ``GET /timp/orders/{uuid}/`` shows it (a subset of the docs' fields)."""
        return {
            "order_uuid": self.order_uuid,
            "po_number": f"po-{self.order_uuid[:8]}",
            "retailer": {"organization_name": self.retailer_org},
            "cancellation_status": self.cancellation,
            "line_items": [
                {
                    "line_item_uuid": item.line_item_uuid,
                    "sku_id": item.sku_id,
                    "status": item.status,
                    "supplier": {"organization_name": self.supplier_org},
                }
                for item in self.line_items
            ],
        }


@dataclass(frozen=True)
class Transition:
    """The outcome of a reject or confirm: the state found and whether the change was made."""

    previous: str | None
    applied: bool


class OrderStore:
    """Orders by UUID, guarded by one lock; ``fault`` names the injected fault or is None."""

    def __init__(self, fault: str | None = None) -> None:
        self._lock = threading.Lock()
        self._action_locks = {"reject": threading.Lock(), "confirm": threading.Lock()}
        self._key_locks: dict[str, threading.Lock] = {}
        self._refusals: dict[str, int] = {}
        self._orders: dict[str, Order] = {}
        self._fault = fault

    def create(self, state: str) -> Order:
        """Create a fresh order in a provider state (KeyError for an unknown state name)."""
        supplier_org, cancellation = PROVIDER_STATES[state]
        item_status = CANCELLED_ITEM if cancellation == CONFIRMED else OPEN_ITEM
        order = Order(
            order_uuid=str(uuid.uuid4()),
            supplier_org=supplier_org,
            retailer_org=RETAILER_ORG,
            cancellation=cancellation,
            line_items=[LineItem(str(uuid.uuid4()), f"sku-{number}", item_status) for number in (1, 2)],
        )
        with self._lock:
            self._orders[order.order_uuid] = order
        return order

    def get(self, order_uuid: str) -> Order | None:
        """Return the order with this exact UUID text, or None."""
        with self._lock:
            return self._orders.get(order_uuid)

    def detail(self, order: Order) -> dict[str, object]:
        """A consistent snapshot of an order's detail document."""
        with self._lock:
            return order.detail()

    def reject(self, order: Order) -> Transition:
        """Reject a pending cancellation atomically."""
        if self._fault == "reject-race":  # read, sleep, write; the write re-checks only for a confirm
            return self.reject_without_lock(order)
        if self._fault == "reject-confirm-race":
            return self._transition_under_own_lock(order, "reject")
        with self._lock:
            previous = order.cancellation
            if previous == PENDING:
                if self._fault != "reject-leaves-pending":
                    order.cancellation = REJECTED
                if self._fault == "reject-cancels-items":
                    _set_items(order, CANCELLED_ITEM)
                return Transition(previous, applied=True)
            if previous == CONFIRMED and self._fault == "confirmed-uncancelled":
                order.cancellation = REJECTED
                _set_items(order, OPEN_ITEM)
                return Transition(previous, applied=True)
            return Transition(previous, applied=False)

    def confirm(self, order: Order) -> Transition:
        """Confirm a pending cancellation atomically: every line item becomes Cancelled."""
        if self._fault == "reject-confirm-race":
            return self._transition_under_own_lock(order, "confirm")
        confirmable = {PENDING, REJECTED} if self._fault == "confirm-accepts-rejected" else {PENDING}
        with self._lock:
            previous = order.cancellation
            if previous not in confirmable:
                return Transition(previous, applied=False)
            order.cancellation = CONFIRMED
            _set_items(order, CANCELLED_ITEM)
            return Transition(previous, applied=True)

    def reopen_rejected(self, order_uuid: str) -> None:
        """Make a rejected cancellation pending again (only a fault does this)."""
        with self._lock:
            order = self._orders.get(order_uuid)
            if order is not None and order.cancellation == REJECTED:
                order.cancellation = PENDING

    def reopen_items(self, order: Order) -> None:
        """Mark every line item open again (only a fault does this)."""
        with self._lock:
            _set_items(order, OPEN_ITEM)

    def count_refusal(self, order: Order) -> int:
        """Count one more refused request about this order; return the count."""
        with self._lock:
            self._refusals[order.order_uuid] = self._refusals.get(order.order_uuid, 0) + 1
            return self._refusals[order.order_uuid]

    def reject_under_key(self, order: Order, key: str) -> Transition:
        """Read, sleep, write under a lock named by ``key`` (the identifier as spelled), not by the order."""
        with self._lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            return self.reject_without_lock(order)

    def reject_without_lock(self, order: Order) -> Transition:
        """Read, sleep, write with no lock across the gap: a concurrent reject can win as well."""
        with self._lock:
            previous = order.cancellation
        if previous != PENDING:
            return Transition(previous, applied=False)
        time.sleep(RACE_WINDOW_SECONDS)
        with self._lock:
            if order.cancellation == CONFIRMED:  # a confirm is still seen: only rejects race each other
                return Transition(CONFIRMED, applied=False)
            order.cancellation = REJECTED
        return Transition(previous, applied=True)

    def _transition_under_own_lock(self, order: Order, action: str) -> Transition:
        """Fault ``reject-confirm-race``: each action locks only against itself across read, sleep, write."""
        with self._action_locks[action]:
            previous = order.cancellation
            if previous != PENDING:
                return Transition(previous, applied=False)
            time.sleep(RACE_WINDOW_SECONDS)
            if action == "reject":
                order.cancellation = REJECTED
            else:
                order.cancellation = CONFIRMED
                _set_items(order, CANCELLED_ITEM)
            return Transition(previous, applied=True)


def _set_items(order: Order, status: str) -> None:
    for item in order.line_items:
        item.status = status
