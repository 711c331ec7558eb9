"""An order as the model sees it: its cancellation state and the organization that supplies it.

"State unchanged" in CONTRACT.md means the cancellation stays in the state it had; the model tracks that
state exactly (a 2xx applies the request's transition, every other answer leaves the state as it was).
"""

from __future__ import annotations

from dataclasses import dataclass

NONE, PENDING, REJECTED, CONFIRMED = "none", "pending", "rejected", "confirmed"
CANCELLATION_STATES: tuple[str, ...] = (NONE, PENDING, REJECTED, CONFIRMED)

#: The organizations orders belong to, named by the role of a user of that organization.
OURS, THEIRS = "supplier", "other_supplier"


@dataclass(frozen=True)
class Order:
    """An order's cancellation state, its supplier organization, and whether it exists at all."""

    state: str
    owner: str = OURS
    exists: bool = True

    def moved_to(self, state: str) -> Order:
        """The same order in another cancellation state."""
        return Order(state, self.owner, self.exists)

    @property
    def cancelled(self) -> bool:
        """True when its detail shows every line item Cancelled (the cancellation was confirmed)."""
        return self.state == CONFIRMED


#: An identifier that names no order (a random, well-formed UUID).
UNKNOWN = Order(NONE, OURS, exists=False)

#: CONTRACT.md's provider states, by exact name, and the order each one sets up (the same names as
#: ``conformance.provisioning.states``, repeated so the model imports nothing that does I/O).
PROVIDER_STATES: dict[str, Order] = {
    "a pending order cancellation": Order(PENDING),
    "an order without a cancellation request": Order(NONE),
    "a rejected order cancellation": Order(REJECTED),
    "a confirmed order cancellation": Order(CONFIRMED),
    "another supplier's pending order cancellation": Order(PENDING, THEIRS),
}
