"""The provisioner interface: ``order(state) -> order_uuid``, one fresh order per call."""

from __future__ import annotations

from typing import Protocol


class Exhausted(Exception):
    """No order in this state is left (static mode): the run cannot go on as configured (exit 2)."""


class Unavailable(Exhausted):
    """The configuration gives no way to make an order in this state: the check needing it is not verified."""


class Provisioner(Protocol):
    """Hands out a fresh order in a named provider state (``conformance.provisioning.states``)."""

    def order(self, state: str) -> str:
        """Return the UUID of a fresh order in ``state``; raise TargetError or Exhausted when it cannot."""
        ...
