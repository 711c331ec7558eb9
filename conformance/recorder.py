"""The exchange log of a session: every exchange, labelled with the check that made it.

``Recorder`` keeps every (already redacted) exchange of the session in order, each with the label of the
check that made it: the plugin's ``context`` (the running check's node id), or, for a thread running
beside the checks (the model stage in the background), the label ``exchanges_labelled`` set for it.
Session-wide requirements (REJ-034, REJ-053, REJ-054, REJ-070) judge every exchange from here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.client import Exchange

#: The check a thread's exchanges belong to, when it is not the one pytest runs (the model stage runs
#: in the background). Threads a labelled thread starts carry the label on only through ``copy_context``.
_LABEL: ContextVar[str | None] = ContextVar("crux_exchange_label", default=None)


@contextmanager
def exchanges_labelled(label: str) -> Iterator[None]:
    """Label the exchanges this thread (and what runs in copies of its context) records with ``label``."""
    token = _LABEL.set(label)
    try:
        yield
    finally:
        _LABEL.reset(token)


def current_label() -> str | None:
    """The label ``exchanges_labelled`` set for this thread, or None."""
    return _LABEL.get()


@dataclass
class Recorder:
    """A thread-safe log of every exchange, each labelled with the ``context`` current when it was added.

    The pytest plugin sets ``context`` to the running check's node id, so a session-wide audit can say
    which check received an offending response; ``exchanges_labelled`` overrides it for one thread.
    """

    exchanges: list[Exchange] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    context: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, exchange: Exchange) -> None:
        """Store an exchange under the current context."""
        with self._lock:
            self.exchanges.append(exchange.recorded())
            self.contexts.append(_LABEL.get() or self.context)

    def snapshot(self) -> list[Exchange]:
        """A copy of the exchanges recorded so far."""
        with self._lock:
            return list(self.exchanges)

    def labelled(self) -> list[tuple[str, Exchange]]:
        """``(context, exchange)`` pairs recorded so far."""
        with self._lock:
            return list(zip(self.contexts, self.exchanges, strict=True))

    def count_labelled(self, label: str, since: int = 0) -> int:
        """How many exchanges from the ``since``-th on carry ``label``."""
        with self._lock:
            return sum(1 for context in self.contexts[since:] if context == label)

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self.exchanges)
