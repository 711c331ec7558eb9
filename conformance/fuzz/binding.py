"""What Schemathesis's callbacks read during a run: the tokens to sign with and the pool of orders to draw.

Schemathesis keeps auth providers, format strategies and checks in process-wide registries and calls them
without our session at hand. They read the run's ``FuzzBinding`` through a context variable that the
fuzz stage binds for the run and unbinds after: the variable is a constant, its value belongs to the
run, and no module keeps session state. ``st run`` calls them from worker threads, which start with an
empty context: there they read ``ENVIRONMENT``, the one binding that ``conformance.fuzz.hooks`` fills
from the environment when that process starts (and nothing else ever fills).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.fuzz.identifiers import IdentifierPool


@dataclass
class FuzzBinding:
    """The run's tokens by role (``supplier``, ``retailer``) and the identifier pool (None: generated only)."""

    tokens: dict[str, str | None] = field(default_factory=dict)
    pool: IdentifierPool | None = None

    def __repr__(self) -> str:
        return f"FuzzBinding(roles={sorted(role for role, token in self.tokens.items() if token)}, pool={self.pool})"

    def token(self, role: str) -> str | None:
        """The token bound for ``role``, or None."""
        return self.tokens.get(role)


#: ``st run``'s binding, filled from the environment by ``conformance.fuzz.hooks`` (empty in the suite).
ENVIRONMENT = FuzzBinding()
_BINDING: ContextVar[FuzzBinding | None] = ContextVar("conformance_fuzz_binding", default=None)


def bound() -> FuzzBinding:
    """The binding of the running fuzz stage (``ENVIRONMENT`` outside one: empty unless under ``st run``)."""
    return _BINDING.get() or ENVIRONMENT


def bind(binding: FuzzBinding) -> None:
    """Make ``binding`` the one Schemathesis's callbacks read in this context (until ``unbind``)."""
    _BINDING.set(binding)


def unbind() -> None:
    """Forget the run's binding."""
    _BINDING.set(None)


@contextmanager
def pool_swapped(pool: IdentifierPool | None) -> Iterator[None]:
    """Within the block the strategy draws from ``pool``, then from the run's pool again."""
    binding = bound()
    previous = binding.pool
    binding.pool = pool
    try:
        yield
    finally:
        binding.pool = previous
