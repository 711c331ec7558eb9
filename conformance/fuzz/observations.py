"""The status mix the fuzz stage observed per operation, and the mix it must reach.

A fuzz run that only ever saw 404 exercised the routing, not the endpoint: the stage fails unless each
order-level operation answered at least one 2xx, one 404 and one 422.
"""

from __future__ import annotations

import threading
from collections import Counter

#: Status classes every order-level operation must answer during a destructive run.
REQUIRED_DESTRUCTIVE = ("2xx", "404", "422")
#: Without state changes there are no provisioned orders, but unknown UUIDs still answer 404.
REQUIRED_NON_DESTRUCTIVE = ("404",)
#: Item operations take item UUIDs, which provisioning does not hand out: only 404 is reachable.
REQUIRED_ITEM = ("404",)


def status_class(status: int) -> str:
    """``2xx`` for any success, the code itself otherwise (``404``, ``422``...)."""
    return "2xx" if 200 <= status < 300 else str(status)


def required_for(operation_label: str, destructive: bool) -> tuple[str, ...]:
    """The status classes ``operation_label`` must be seen answering."""
    if "/items/" in operation_label:
        return REQUIRED_ITEM
    return REQUIRED_DESTRUCTIVE if destructive else REQUIRED_NON_DESTRUCTIVE


class StatusMix:
    """Counts responses per operation label and status code (thread-safe)."""

    def __init__(self) -> None:
        self._counts: dict[str, Counter[int]] = {}
        self._lock = threading.Lock()

    def record(self, operation_label: str, status: int) -> None:
        """Count one response."""
        with self._lock:
            self._counts.setdefault(operation_label, Counter())[status] += 1

    def of(self, operation_label: str) -> dict[int, int]:
        """The counts for one operation, by status code."""
        with self._lock:
            return dict(sorted(self._counts.get(operation_label, Counter()).items()))

    def labels(self) -> list[str]:
        """The operations that answered at least once."""
        with self._lock:
            return sorted(self._counts)

    def missing(self, operation_label: str, required: tuple[str, ...]) -> list[str]:
        """The required status classes ``operation_label`` never answered."""
        seen = {status_class(status) for status in self.of(operation_label)}
        return [wanted for wanted in required if wanted not in seen]

    def describe(self, operation_label: str) -> str:
        """``200x3, 404x12`` style summary of one operation."""
        counts = self.of(operation_label)
        return ", ".join(f"{status}x{count}" for status, count in counts.items()) or "no responses"

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Every operation's counts, status codes as strings (the form ``results.json`` keeps)."""
        return {label: {str(status): count for status, count in self.of(label).items()} for label in self.labels()}
