"""Interrupts of a run: SIGINT and SIGTERM become one ``KeyboardInterrupt`` that pytest handles, remembered
with when and which signal, so the reports an interrupted run still writes can say so.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType


@dataclass
class Interruption:
    """The first signal that interrupted the run, and when (None: not interrupted)."""

    signal_name: str | None = None
    at: datetime | None = None

    def __bool__(self) -> bool:
        return self.signal_name is not None

    def reason(self) -> str:
        """One line: which signal, and when."""
        when = self.at.isoformat(timespec="seconds") if self.at else "unknown time"
        return f"interrupted by {self.signal_name} at {when}"


@contextmanager
def interrupts_recorded() -> Iterator[Interruption]:
    """Within the block SIGINT and SIGTERM raise KeyboardInterrupt once, recording the signal and the time;
    the previous handlers come back afterwards."""
    interruption = Interruption()

    def handle(number: int, frame: FrameType | None) -> None:
        if interruption:
            return  # pytest is already winding down: let it write what it has
        interruption.signal_name = signal.Signals(number).name
        interruption.at = datetime.now(UTC)
        raise KeyboardInterrupt

    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):  # whatever was inherited (a background start ignores SIGINT)
        previous[number] = signal.getsignal(number)
        signal.signal(number, handle)
    try:
        yield interruption
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
