"""Mode ``static``: orders listed in the config file, per state; each UUID is used at most once per run."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from conformance.provisioning.base import OrdersExhausted
from conformance.provisioning.states import KEY_OF_STATE


class StaticProvisioner:
    """Hands out the configured UUIDs of each state in order; OrdersExhausted (the run stops, exit 2) when one
    runs out."""

    def __init__(self, lists: Mapping[str, tuple[str, ...]]) -> None:
        self._remaining = {key: list(uuids) for key, uuids in lists.items()}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"StaticProvisioner({ {key: len(left) for key, left in self._remaining.items()} })"

    def order(self, state: str) -> str:
        """Return the next unused UUID listed for ``state``."""
        key = KEY_OF_STATE[state]
        with self._lock:
            remaining = self._remaining.get(key)
            if not remaining:
                raise OrdersExhausted(
                    f"provisioning ran out: no unused `{key}` order left in [provisioning.static] for state {state!r}"
                )
            return remaining.pop(0)
