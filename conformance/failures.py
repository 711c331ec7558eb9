"""Typed check failures: what a check raises when the target breaks the requirement it verifies.

Each failure has a ``title`` (its kind, as Schemathesis's failures have), a one-line ``problem`` and the
``evidence`` (the exchanges that show it). The requirement id comes from the failing test's
``requirement`` marker, so a check never repeats it; the plugin renders ``REJ-xxx: problem`` then the
evidence. A failure may name the requirements it breaks itself (``requirements``) when that is not the
marker's, as a model scenario's failing step does.
"""

from __future__ import annotations

from collections.abc import Sequence


class CheckFailure(AssertionError):
    """The target broke a requirement: ``problem`` in one line, then the evidence."""

    title = "check failed"

    def __init__(self, problem: str, evidence: str = "", *, requirements: Sequence[str] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.evidence = evidence
        self.requirements = tuple(requirements)

    def render(self, requirement: str | None) -> str:
        """The failure text: ``REJ-xxx: problem`` (every broken requirement named), then the evidence."""
        named = ", ".join(self.requirements) or requirement
        headline = f"{named}: {self.problem}" if named else self.problem
        return headline + (f"\n{self.evidence}" if self.evidence else "")


class UnexpectedStatus(CheckFailure):
    """The target answered a status the requirement does not allow."""

    title = "unexpected status"


class ServerError(CheckFailure):
    """The target answered 5xx."""

    title = "server error"


class StateChanged(CheckFailure):
    """The order's state is not what the requirement says it must be afterwards."""

    title = "state changed"


class PreconditionFailed(CheckFailure):
    """A step that sets up the check (e.g. a first reject) did not succeed, so the check cannot go on."""

    title = "precondition failed"


class BrokenResponses(CheckFailure):
    """An audit found recorded responses that break a session-wide requirement."""

    title = "responses break the requirement"


class LimitExceeded(CheckFailure):
    """A measured figure (e.g. latency) exceeds the configured limit."""

    title = "limit exceeded"
