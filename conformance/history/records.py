"""What the history holds: one recorded run with its per-requirement verdicts, and one release."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequirementOutcome:
    """One requirement's verdict in one run, with the failure reasons and the tests that are its evidence."""

    requirement: str
    verdict: str
    reasons: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class RunRecord:
    """One run as the history records it (``id`` is None until it is stored)."""

    target: str
    target_version: str
    environment: str | None
    verdict: str
    exit_code: int
    suite_version: str
    suite_sha256: str | None
    spec_sha256: str | None
    model_sha256: str | None
    certificate_sha256: str | None
    issued_at: str | None
    recorded_at: str
    requirements: tuple[RequirementOutcome, ...] = field(default=())
    id: int | None = None

    def verdicts(self) -> dict[str, str]:
        """Requirement id → verdict."""
        return {item.requirement: item.verdict for item in self.requirements}

    def label(self) -> str:
        """A short name for tables and messages: ``#12 v1.4.0``."""
        return f"#{self.id} {self.target_version}"


@dataclass(frozen=True)
class Release:
    """A version recorded as released to an environment."""

    target: str
    target_version: str
    environment: str
    run_id: int | None
    released_at: str
    id: int | None = None
