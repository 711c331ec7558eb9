"""Turn test outcomes into one verdict per requirement and one overall verdict.

Input is the ``tests`` list of ``results.json``: mappings with ``nodeid``, ``requirement``,
``outcome`` (passed, failed, error, skipped), ``message`` and, for a failure that names the requirements
it breaks (a model scenario's failing step), ``broken``: such a failure counts against those
requirements instead of its test's own. A requirement passes only when it had checks and every one of
them passed; a skipped check leaves it *not verified*, never passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from conformance.requirements import CATALOGUE, Requirement


class Verdict(StrEnum):
    """A requirement's verdict."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NOT_VERIFIED = "not verified"
    ADVISORY = "advisory"


class Overall(StrEnum):
    """The run's verdict."""

    CONFORMANT = "CONFORMANT"
    NOT_CONFORMANT = "NOT CONFORMANT"
    INCOMPLETE = "INCOMPLETE"


FAILED_OUTCOMES = frozenset({"failed", "error"})


@dataclass(frozen=True)
class RequirementVerdict:
    """One requirement's verdict with the tests that are its evidence."""

    requirement: Requirement
    verdict: Verdict
    evidence: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The certificate's JSON form of this verdict."""
        return {
            "id": self.requirement.id,
            "title": self.requirement.title,
            "docs": self.requirement.docs,
            "mandatory": self.requirement.mandatory,
            "verdict": str(self.verdict),
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
        }


def _judge(requirement: Requirement, tests: list[Mapping[str, object]]) -> RequirementVerdict:
    evidence = tuple(str(test["nodeid"]) for test in tests)
    failed = [test for test in tests if test["outcome"] in FAILED_OUTCOMES]
    skipped = [test for test in tests if test["outcome"] == "skipped"]
    if failed:
        reasons = tuple(dict.fromkeys(str(test.get("message") or "failed") for test in failed))
        return RequirementVerdict(requirement, Verdict.FAIL, evidence, reasons)
    if not tests or skipped:
        reasons = tuple(dict.fromkeys(str(test.get("message") or "skipped") for test in skipped))
        verdict = Verdict.ADVISORY if not requirement.mandatory else Verdict.NOT_VERIFIED
        return RequirementVerdict(requirement, verdict, evidence, reasons or ("no check ran",))
    verdict = Verdict.PASS if requirement.mandatory else Verdict.ADVISORY
    return RequirementVerdict(requirement, verdict, evidence, ())


def requirement_verdicts(tests: Iterable[Mapping[str, object]]) -> list[RequirementVerdict]:
    """Judge every catalogue requirement, in id order, from the run's test outcomes."""
    by_requirement: dict[str, list[Mapping[str, object]]] = {req.id: [] for req in CATALOGUE}
    for test in tests:
        broken = [rid for rid in (test.get("broken") or ()) if rid in by_requirement]  # type: ignore[union-attr]
        if broken and test.get("outcome") in FAILED_OUTCOMES:
            for requirement_id in broken:
                by_requirement[requirement_id].append(test)
            continue
        requirement_id = test.get("requirement")
        if isinstance(requirement_id, str) and requirement_id in by_requirement:
            by_requirement[requirement_id].append(test)
    return [_judge(req, by_requirement[req.id]) for req in sorted(CATALOGUE, key=lambda r: r.id)]


def overall_verdict(verdicts: Iterable[RequirementVerdict], *, stopped: bool = False) -> Overall:
    """CONFORMANT only when no requirement failed, every mandatory one passed and the run was not ``stopped``."""
    verdicts = list(verdicts)
    if any(item.verdict is Verdict.FAIL for item in verdicts):
        return Overall.NOT_CONFORMANT
    if stopped or any(item.requirement.mandatory and item.verdict is not Verdict.PASS for item in verdicts):
        return Overall.INCOMPLETE
    return Overall.CONFORMANT
