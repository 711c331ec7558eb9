"""Checking a certificate: its report digests, its verdicts against ``results.json``, and its signature.

Each problem is one line naming what does not match: a report file changed or missing, a requirement
whose certificate verdict differs from what ``results.json``'s tests give, a signature made by another
key or over other content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from conformance import signing
from conformance.history.certificates import DIGESTED_REPORTS, certificate_path, load_certificate, report_digests
from conformance.reporting.verdicts import overall_verdict, requirement_verdicts


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: problems (each one line) and notes that do not invalidate."""

    problems: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        """True when nothing failed to match."""
        return not self.problems


def verify_certificate(path: Path, *, public_key: Path | None = None, reports: Path | None = None) -> Verification:
    """Check the certificate at ``path`` (file or report folder); its reports are in ``reports`` or beside it."""
    file = certificate_path(path)
    certificate = load_certificate(file)
    report_dir = Path(reports) if reports is not None else file.parent
    problems = digest_problems(certificate, report_dir) + verdict_problems(certificate, report_dir)
    notes = []
    if public_key is not None:
        problems += signing.signature_problems(certificate, signing.load_public_key(public_key))
    elif isinstance(certificate.get(signing.SIGNATURE_KEY), Mapping):
        notes.append("signature not checked: give --public-key to check it")
    else:
        notes.append("the certificate is not signed")
    return Verification(tuple(problems), tuple(notes))


def digest_problems(certificate: Mapping[str, object], report_dir: Path) -> list[str]:
    """Report files whose sha256 differs from the certificate's record, or that are missing."""
    recorded = certificate.get("reports")
    if not isinstance(recorded, Mapping):
        return ["the certificate records no report digests (no 'reports'): its reports cannot be checked"]
    actual = report_digests(report_dir)
    problems = []
    for name in DIGESTED_REPORTS:
        expected, found = recorded.get(name), actual.get(name)
        if expected is None and found is None:
            continue
        if found is None:
            problems.append(f"{name} is missing from {report_dir}")
        elif expected is None:
            problems.append(f"{name} in {report_dir} is not covered by the certificate (it records no digest)")
        elif expected != found:
            problems.append(
                f"{name} does not match the certificate: sha256 {found[:16]}…, certified {str(expected)[:16]}…"
            )
    return problems


def verdict_problems(certificate: Mapping[str, object], report_dir: Path) -> list[str]:
    """Requirements whose verdict in the certificate differs from the verdict ``results.json``'s tests give."""
    results_file = report_dir / "results.json"
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))
        tests = [test for test in results.get("tests", []) if isinstance(test, Mapping)]
    except (OSError, ValueError, AttributeError):
        return []  # a missing or unreadable results.json is already a digest problem
    verdicts = requirement_verdicts(tests)
    judged = {item.requirement.id: str(item.verdict) for item in verdicts}
    problems = []
    overall = str(overall_verdict(verdicts))
    if certificate.get("verdict") != overall:
        problems.append(
            f"the certificate's verdict is {certificate.get('verdict')}, results.json's tests give {overall}"
        )
    for item in certificate.get("requirements") or []:
        if not isinstance(item, Mapping):
            continue
        requirement, claimed = str(item.get("id")), str(item.get("verdict"))
        if requirement in judged and judged[requirement] != claimed:
            problems.append(
                f"{requirement}: the certificate says {claimed}, results.json's tests say {judged[requirement]}"
            )
    return problems
