"""Per-requirement transitions between an old and a new run, and their text, Markdown and JSON renderings.

A requirement's transition, from its old verdict to its new one:

- **regressed**: it fails now and did not fail before (whatever it was: pass, not verified, absent);
- **still failing**: it failed before and fails now;
- **fixed**: it failed before and passes (or is advisory) now;
- **newly not verified**: it is not verified now and was verified before (or failed, or was absent);
- **newly verified**: it was not verified before and passes now;
- **unchanged**: anything else (same verdict on both sides).

Only a regression fails a comparison.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from conformance.history.records import RequirementOutcome

FAIL, PASS, NOT_VERIFIED, ADVISORY, ABSENT = "fail", "pass", "not verified", "advisory", "absent"


class Transition(StrEnum):
    """How a requirement's verdict moved between two runs."""

    REGRESSED = "regressed"
    STILL_FAILING = "still failing"
    FIXED = "fixed"
    NEWLY_NOT_VERIFIED = "newly not verified"
    NEWLY_VERIFIED = "newly verified"
    UNCHANGED = "unchanged"


ORDER = tuple(Transition)
"""Report order: what needs attention first."""


@dataclass(frozen=True)
class Change:
    """One requirement's transition with both verdicts and the new run's evidence."""

    requirement: str
    title: str
    old: str
    new: str
    transition: Transition
    reasons: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "requirement": self.requirement,
            "title": self.title,
            "old": self.old,
            "new": self.new,
            "transition": str(self.transition),
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Comparison:
    """Every requirement's transition between two runs, named by ``old_label`` and ``new_label``."""

    old_label: str
    new_label: str
    changes: tuple[Change, ...]

    def of(self, transition: Transition) -> list[Change]:
        """The changes of one kind, in requirement order."""
        return [change for change in self.changes if change.transition is transition]

    @property
    def regressed(self) -> bool:
        """True when any requirement regressed."""
        return bool(self.of(Transition.REGRESSED))

    def counts(self) -> dict[str, int]:
        """How many requirements made each transition."""
        return {str(kind): len(self.of(kind)) for kind in ORDER}


def transition(old: str, new: str) -> Transition:
    """The transition from verdict ``old`` to verdict ``new`` (``absent``: not in that run)."""
    if new == FAIL:
        return Transition.STILL_FAILING if old == FAIL else Transition.REGRESSED
    if old == FAIL:
        return Transition.NEWLY_NOT_VERIFIED if new in (NOT_VERIFIED, ABSENT) else Transition.FIXED
    if new in (NOT_VERIFIED, ABSENT) and old not in (NOT_VERIFIED, ABSENT):
        return Transition.NEWLY_NOT_VERIFIED
    if old in (NOT_VERIFIED, ABSENT) and new in (PASS, ADVISORY):
        return Transition.NEWLY_VERIFIED
    return Transition.UNCHANGED


def compare_outcomes(
    old: Iterable[RequirementOutcome], new: Iterable[RequirementOutcome], *, old_label: str, new_label: str
) -> Comparison:
    """Compare two runs' per-requirement outcomes (every requirement either run knows, in id order)."""
    old_by_id = {item.requirement: item for item in old}
    new_by_id = {item.requirement: item for item in new}
    changes = []
    for requirement in sorted(set(old_by_id) | set(new_by_id)):
        before, after = old_by_id.get(requirement), new_by_id.get(requirement)
        old_verdict = before.verdict if before else ABSENT
        new_verdict = after.verdict if after else ABSENT
        title = (after.title if after else "") or (before.title if before else "")
        changes.append(
            Change(
                requirement=requirement,
                title=title,
                old=old_verdict,
                new=new_verdict,
                transition=transition(old_verdict, new_verdict),
                reasons=after.reasons if after else (),
                evidence=after.evidence if after else (),
            )
        )
    return Comparison(old_label, new_label, tuple(changes))


def render_text(comparison: Comparison) -> str:
    """Plain text: one summary line, then each transition that happened with its requirements."""
    lines = [_summary_line(comparison)]
    for kind in ORDER:
        changes = comparison.of(kind)
        if not changes or kind is Transition.UNCHANGED:
            continue
        lines.append(f"{str(kind).upper()} ({len(changes)}):")
        for change in changes:
            lines.append(f"  {change.requirement}  {change.old} -> {change.new}  {change.title}".rstrip())
            if kind is Transition.REGRESSED:
                lines.extend(f"      reason: {reason}" for reason in change.reasons)
                lines.extend(f"      evidence: {nodeid}" for nodeid in change.evidence)
    return "\n".join(lines) + "\n"


def render_markdown(comparison: Comparison) -> str:
    """GitHub-flavoured Markdown: a heading, the counts, a table of every change, the regressions' evidence."""
    lines = [f"## Conformance compare: {_md(comparison.old_label)} → {_md(comparison.new_label)}", ""]
    verdict = "**REGRESSED**" if comparison.regressed else "no regression"
    counts = ", ".join(f"{count} {kind}" for kind, count in comparison.counts().items())
    lines += [f"{verdict}: {counts}", ""]
    changed = [change for change in comparison.changes if change.transition is not Transition.UNCHANGED]
    if changed:
        lines += ["| requirement | transition | old | new | title |", "|---|---|---|---|---|"]
        ordered = sorted(changed, key=lambda change: (ORDER.index(change.transition), change.requirement))
        lines += [f"| {c.requirement} | {c.transition} | {c.old} | {c.new} | {_md(c.title)} |" for c in ordered]
        lines.append("")
    for change in comparison.of(Transition.REGRESSED):
        lines.append(f"### {change.requirement} regressed ({change.old} → {change.new})")
        lines += [f"- {_md(reason)}" for reason in change.reasons]
        lines += [f"- evidence: `{nodeid}`" for nodeid in change.evidence]
        lines.append("")
    return "\n".join(lines)


def render_json(comparison: Comparison) -> str:
    """JSON: labels, whether it regressed, counts, and every requirement's change."""
    document = {
        "old": comparison.old_label,
        "new": comparison.new_label,
        "regressed": comparison.regressed,
        "counts": comparison.counts(),
        "changes": [change.as_dict() for change in comparison.changes],
    }
    return json.dumps(document, indent=2) + "\n"


RENDERERS = {"text": render_text, "md": render_markdown, "json": render_json}


def _summary_line(comparison: Comparison) -> str:
    verdict = "REGRESSED" if comparison.regressed else "no regression"
    counts = ", ".join(f"{count} {kind}" for kind, count in comparison.counts().items())
    return f"compare {comparison.old_label} -> {comparison.new_label}: {verdict} ({counts})"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
