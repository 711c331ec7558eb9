"""What the reports say about a run: the facts fixed before it starts, the HTML header, the certificate.

``crux-conformance run`` builds one ``RunFacts`` before pytest starts; the HTML report's header and the
certificate (written by ``run_files``) are both made from it, so they describe the same run.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path

import conformance
from conformance.config import RunConfig
from conformance.reporting.certificate import build_certificate, sha256_of_file
from conformance.reporting.html_report import HtmlReportExtras
from conformance.reporting.verdicts import Overall, Verdict, overall_verdict, requirement_verdicts
from conformance.results import TestResult
from conformance.spec_document import SpecDocumentError, read_document

KEY_PACKAGES = ("pytest", "schemathesis", "hypothesis", "requests", "pytest-html")


@dataclass(frozen=True)
class RunFacts:
    """What the reports state about a run, fixed before it starts."""

    run_config: RunConfig
    config_source: str
    spec_path: Path | None
    seed: str
    certify: bool = False
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def public_config(run_config: RunConfig) -> dict[str, object]:
    """The run configuration without any secret (roles are listed, their values never)."""
    return {
        "target": asdict(run_config.target),
        "credentials": sorted(run_config.credentials.secrets),
        "provisioning": {"mode": run_config.provisioning.mode},
        "timeouts": asdict(run_config.timeouts),
        "concurrency": run_config.concurrency,
        "max_p95_ms": run_config.max_p95_ms,
        "transport": run_config.target.transport.coverage(),
    }


def docs_provenance(spec_path: Path | None) -> str:
    """One line naming the docs the spec was generated from: page count and a digest of their hashes."""
    if spec_path is None or not spec_path.is_file():
        return "no spec"
    try:
        info = (read_document(spec_path) or {}).get("info", {})
    except (OSError, SpecDocumentError, AttributeError):
        return "unreadable spec"
    pages = info.get("x-generated-from") or []
    digest = hashlib.sha256("".join(str(page.get("sha256")) for page in pages).encode()).hexdigest()
    return f"{len(pages)} CRUX docs pages (digest {digest[:16]})"


def header_metadata(facts: RunFacts) -> dict[str, str]:
    """The HTML report's header block."""
    target = facts.run_config.target
    environment = "production" if target.production else "non-production"
    if not target.destructive:
        environment += ", read-only (destructive = false)"
    versions = []
    for name in KEY_PACKAGES:
        try:
            versions.append(f"{name} {package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            continue
    return {
        "Target": str(target.base_url),
        "Environment": environment,
        "Suite version": conformance.__version__,
        "Spec": f"{facts.spec_path} (sha256 {sha256_of_file(facts.spec_path)})" if facts.spec_path else "none",
        "Generated from": docs_provenance(facts.spec_path),
        "Config": facts.config_source,
        "Seed": facts.seed,
        "Started": facts.started_at.isoformat(timespec="seconds"),
        "Certification run": "yes" if facts.certify else "no",
        "Python": platform.python_version(),
        "Key packages": ", ".join(versions),
    }


def html_extras(
    facts: RunFacts, tests: Callable[[], list[TestResult]], latency: Callable[[], Mapping[str, object]]
) -> HtmlReportExtras:
    """The pytest-html plugin object for this run."""
    return HtmlReportExtras(header_metadata(facts), lambda: [asdict(test) for test in tests()], latency)


def verdict_line(tests: list[TestResult], stopped: str | None = None) -> tuple[Overall, str]:
    """The overall verdict and a one-line account of what kept the run from conformant.

    A run that ``stopped`` early (interrupted, target gone, budget spent) is never CONFORMANT.
    """
    verdicts = requirement_verdicts(asdict(test) for test in tests)
    failed = [item.requirement.id for item in verdicts if item.verdict is Verdict.FAIL]
    unverified = [item.requirement.id for item in verdicts if item.verdict is Verdict.NOT_VERIFIED]
    overall = overall_verdict(verdicts, stopped=stopped is not None)
    line = str(overall)
    if stopped:
        line += f" (run stopped: {stopped})"
    if failed:
        line += f" (failed: {', '.join(failed)})"
    if unverified:
        line += f" (not verified: {', '.join(unverified)})"
    return overall, line


def certificate_for(facts: RunFacts, tests: list[TestResult], stopped: str | None = None) -> dict[str, object]:
    """The run's certificate document (``stopped``: why the run ended before every check had run)."""
    return build_certificate(
        [asdict(test) for test in tests],
        target=str(facts.run_config.target.base_url),
        spec_path=facts.spec_path,
        public_config=public_config(facts.run_config),
        certify=facts.certify,
        issued_at=facts.started_at,
        stopped=stopped,
    )
