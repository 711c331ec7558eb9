"""One fuzz run against one target: sends each generated case, records the status, validates the response.

``FuzzSession.start`` binds the run's tokens (for the auth provider) and identifier pool (for the identifier
strategy) as the run's ``FuzzBinding``; ``close`` unbinds them. ``exercise(case)`` is what the pytest test
calls per case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case, Response
from schemathesis.core.failures import FailureGroup

from conformance.curl import reproduce_note
from conformance.fuzz import identifiers
from conformance.fuzz.binding import FuzzBinding, bind, pool_swapped, unbind
from conformance.fuzz.observations import StatusMix
from conformance.provisioning import Provisioner
from conformance.ratelimit import limited_session
from conformance.redaction import Redactor

#: Fresh pending cancellations one run may set up, per fuzzed example and operation (then the last is reused).
PENDING_PER_EXAMPLE = 0.8
MIN_PENDING = 4


@dataclass
class FuzzSession:
    """The run's target, credentials and observations, as the fuzz test needs them."""

    base_url: str
    credentials: Mapping[str, str]
    timeout: tuple[float, float]
    provisioner: Provisioner | None = None
    destructive: bool = True
    observed: StatusMix = field(default_factory=StatusMix)
    pool: identifiers.IdentifierPool | None = None

    def __repr__(self) -> str:
        return f"FuzzSession(base_url={self.base_url!r}, roles={sorted(self.credentials)})"

    @property
    def redactor(self) -> Redactor:
        """Masks every credential of the run."""
        return Redactor(self.credentials.values())

    def start(self, examples: int, operations: int = 1) -> FuzzSession:
        """Bind token and identifiers for the auth provider and strategy; provision one order per state."""
        binding = FuzzBinding(tokens={role: self.credentials.get(role) for role in ("supplier", "retailer")})
        bind(binding)
        if self.destructive and self.provisioner is not None:
            self.pool = identifiers.IdentifierPool(
                self.provisioner, max_pending=max(MIN_PENDING, int(examples * operations * PENDING_PER_EXAMPLE))
            )
            self.pool.prepare()
        binding.pool = self.pool
        return self

    @contextmanager
    def fresh_identifiers(self) -> Iterator[None]:
        """Within the block the strategy draws a new order every time (no reuse), then the run's pool again."""
        if self.pool is None or self.provisioner is None:
            yield
            return
        with pool_swapped(identifiers.IdentifierPool(self.provisioner, max_pending=0, reuse=False)):
            yield

    def close(self) -> None:
        """Unbind token and identifiers."""
        unbind()

    def transport_kwargs(self) -> dict[str, Any]:
        """What every request of the stage is sent with: the run's base URL and timeouts, no redirects, and a
        session through the run's rate limiter (``conformance.ratelimit``: rate cap, budget, 429 Retry-After)."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "allow_redirects": False,
            "session": limited_session(),
        }

    def exercise(self, case: Case) -> Response:
        """Send ``case``, count its status, run every enabled check; failures carry a curl command."""
        __tracebackhide__ = True
        kwargs = self.transport_kwargs()
        response = case.call(**kwargs)
        if case.method.upper() == case.operation.method.upper():  # not the coverage phase's other methods
            self.observed.record(case.operation.label, response.status_code)
        try:
            case.validate_response(response, transport_kwargs=kwargs)
        except FailureGroup as failure:
            failure.add_note(reproduce_note(response.request, self.credentials))
            raise
        return response
