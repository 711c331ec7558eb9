"""One fuzz run against one target: sends each generated case, records the status, validates the response.

``FuzzSession.start`` binds the run's tokens (for the auth provider) and identifier pool (for the identifier
strategy) as the run's ``FuzzBinding``; ``close`` unbinds them. ``exercise(case)`` is what the pytest test
calls per case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis import reject
from schemathesis import Case, Response
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from conformance.curl import reproduce_note
from conformance.fuzz import identifiers
from conformance.fuzz.binding import FuzzBinding, bind, pool_swapped, unbind
from conformance.fuzz.observations import StatusMix
from conformance.provisioning import Provisioner
from conformance.redaction import Redactor
from conformance.transport import TargetRewritten, ThreadSessions, TransportSettings, body_cut_of
from conformance.transport.session import foreign_sessions_follow

#: A body already cut short (``[target] max_body_bytes``) is kept this far once judged: the stateful phase keeps
#: every response of a scenario, and a cut body can feed no link anyway.
KEPT_OF_CUT_BODY = 64 * 1024
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
    transport: TransportSettings = field(default_factory=TransportSettings)
    sessions: ThreadSessions = field(init=False, repr=False)
    _policy: ExitStack = field(default_factory=ExitStack, init=False, repr=False)

    def __post_init__(self) -> None:
        self.sessions = ThreadSessions(self.transport)

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
        self._policy.enter_context(foreign_sessions_follow(self.transport))  # Schemathesis's own auth probes
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
        """Unbind token and identifiers; sessions the suite did not build are left alone again."""
        unbind()
        self._policy.close()

    def transport_kwargs(self) -> dict[str, Any]:
        """What every request of the stage is sent with: the run's base URL and timeouts, no redirects, and this
        thread's session of the run's transport (``conformance.transport``: TLS, proxy, rate cap and budget,
        byte-exact targets, bounded bodies)."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "allow_redirects": False,
            "session": self.sessions.get(),
        }

    def exercise(self, case: Case) -> Response:
        """Send ``case``, count its status, run every enabled check; failures carry a curl command."""
        __tracebackhide__ = True
        kwargs = self.transport_kwargs()
        try:
            response = case.call(**kwargs)
        except TargetRewritten:  # the route would change this target: not sent, so neither passed nor failed
            reject()
        if case.method.upper() == case.operation.method.upper():  # not the coverage phase's other methods
            self.observed.record(case.operation.label, response.status_code)
        excluded = cut_body_exclusions(response) or None
        try:
            case.validate_response(response, excluded_checks=excluded, transport_kwargs=kwargs)
        except FailureGroup as failure:
            failure.add_note(reproduce_note(response.request, self.credentials))
            raise
        return response


def cut_body_exclusions(response: Response) -> list[Any]:
    """The checks a response whose body was cut short cannot pass fairly: validating it against its schema."""
    return [response_schema_conformance] if body_cut_of(response.request) is not None else []


def slim_cut_body(response: Response) -> None:
    """Keep only the first ``KEPT_OF_CUT_BODY`` bytes of a body that was cut short anyway (bounded memory)."""
    if body_cut_of(response.request) is not None and len(response.content) > KEPT_OF_CUT_BODY:
        response.content = response.content[:KEPT_OF_CUT_BODY]
