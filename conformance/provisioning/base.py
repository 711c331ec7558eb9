"""The provisioner interface: ``order(state) -> order_uuid``, one fresh order per call, and why none came."""

from __future__ import annotations

from typing import Protocol


class NoOrder(Exception):
    """No order in the asked state could be handed out (see the two kinds below)."""


class OrdersExhausted(NoOrder):
    """A static list of this state ran out: the run cannot go on as configured, so it stops (exit 2)."""


class OrderUnavailable(NoOrder):
    """The configuration gives no way to make an order in this state: the check needing it is not verified."""


#: Why a run that may not change state (read-only, or production without --allow-production) has no order.
READ_ONLY_PROVISIONING = "not run: this run may not change state, so it provisions no order"


class Provisioner(Protocol):
    """Hands out a fresh order in a named provider state (``conformance.provisioning.states``)."""

    def order(self, state: str) -> str:
        """Return the UUID of a fresh order in ``state``; raise TargetError or NoOrder when it cannot."""
        ...


class NoProvisioning:
    """The provisioner of a run that may not change state: every request for an order is refused."""

    def order(self, state: str) -> str:
        """Refuse: a read-only or production run makes no order."""
        raise OrderUnavailable(READ_ONLY_PROVISIONING)
