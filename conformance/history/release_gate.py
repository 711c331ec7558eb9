"""The can-i-release decision: may version V of a target go to an environment?

Yes when V's latest recorded run is CONFORMANT, was judged by the installed suite (its suite, model and
spec digests match the current ones), and no requirement regressed against the run of the version last
recorded as released to that environment. Otherwise no, with one reason per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.errors import UsageError
from conformance.history.compare import Transition, compare_outcomes
from conformance.history.records import RunRecord
from conformance.history.store import HistoryStore


@dataclass(frozen=True)
class CurrentSuite:
    """The digests of the suite that is asked: what a run must have been judged by."""

    suite_sha256: str | None
    model_sha256: str | None
    spec_sha256: str | None


@dataclass(frozen=True)
class Decision:
    """Yes or no, the reasons against, and notes that do not block."""

    allowed: bool
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def resolve_target(store: HistoryStore, version: str, target: str | None) -> str | None:
    """The target whose version ``version`` is meant: ``target`` when given, else the only one that has it."""
    if target is not None:
        return target
    targets = store.targets_of_version(version)
    if len(targets) > 1:
        raise UsageError(f"version {version} was recorded for several targets ({', '.join(targets)}); give --target")
    return targets[0] if targets else None


def decide(
    store: HistoryStore, version: str, environment: str, current: CurrentSuite, target: str | None = None
) -> Decision:
    """Decide whether ``version`` may be released to ``environment``."""
    target = resolve_target(store, version, target)
    runs = store.runs(target=target, version=version, limit=1) if target is not None else []
    if not runs:
        return Decision(False, (f"no run of version {version} is recorded in the history",))
    latest = runs[0]
    reasons = _run_reasons(latest, current)
    notes: list[str] = []
    release = store.last_release(latest.target, environment)
    if release is None:
        notes.append(f"no release to {environment} recorded yet: nothing to compare against")
    else:
        baseline = store.run(release.run_id) if release.run_id is not None else None
        if baseline is None:
            notes.append(f"release {release.target_version} to {environment} has no recorded run to compare against")
        else:
            comparison = compare_outcomes(
                baseline.requirements, latest.requirements, old_label=baseline.label(), new_label=latest.label()
            )
            for change in comparison.of(Transition.REGRESSED) + comparison.of(Transition.NEWLY_NOT_VERIFIED):
                reasons.append(
                    f"{change.requirement} {change.transition} against {release.target_version} "
                    f"(released to {environment}): {change.old} -> {change.new}"
                )
    return Decision(not reasons, tuple(reasons), tuple(notes))


def _run_reasons(run: RunRecord, current: CurrentSuite) -> list[str]:
    reasons = []
    if run.verdict != "CONFORMANT":
        failing = [item.requirement for item in run.requirements if item.verdict == "fail"]
        unverified = [item.requirement for item in run.requirements if item.verdict == "not verified"]
        detail = "".join(
            f"; {label}: {', '.join(ids)}" for label, ids in (("failed", failing), ("not verified", unverified)) if ids
        )
        reasons.append(f"latest run {run.label()} ({run.recorded_at}) is {run.verdict}{detail}")
    for name, recorded, now in (
        ("suite", run.suite_sha256, current.suite_sha256),
        ("contract model", run.model_sha256, current.model_sha256),
        ("spec", run.spec_sha256, current.spec_sha256),
    ):
        if recorded != now:
            reasons.append(
                f"latest run {run.label()} was judged with another {name} ({_short(recorded)}, current "
                f"{_short(now)}): run the current suite against {run.target_version}"
            )
    return reasons


def _short(digest: str | None) -> str:
    return digest[:12] if digest else "none"
