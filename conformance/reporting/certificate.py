"""The certification summary: the document behind ``certificate.json`` (rendered by ``certificate_html``).

It states what it covers (target, suite version, spec digest, time, config digest) and, for every
requirement in the catalogue, its verdict and evidence. It never carries a secret: the config digest
is computed over a view of the config with credential values removed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from conformance import __version__
from conformance.model.table import digest as model_digest
from conformance.reporting.verdicts import Verdict, overall_verdict, requirement_verdicts

SCHEMA = "crux-conformance/certificate/v1"


def sha256_of_file(path: Path | None) -> str | None:
    """Hex sha256 of a file, or None when there is no such file."""
    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_digest(public_config: Mapping[str, object]) -> str:
    """Digest of the secret-free view of a run's configuration (stable key order)."""
    canonical = json.dumps(public_config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_certificate(
    tests: list[Mapping[str, object]],
    *,
    target: str,
    spec_path: Path | None,
    public_config: Mapping[str, object],
    certify: bool = False,
    issued_at: datetime | None = None,
    stopped: str | None = None,
) -> dict[str, object]:
    """Build the certificate document from a run's test outcomes (``stopped``: why the run ended early)."""
    verdicts = requirement_verdicts(tests)
    overall = overall_verdict(verdicts, stopped=stopped is not None)
    counts = {str(kind): sum(1 for item in verdicts if item.verdict is kind) for kind in Verdict}
    return {
        "schema": SCHEMA,
        "verdict": str(overall),
        "certification_run": certify,
        "covers": {
            "target": target,
            "suite_version": __version__,
            "spec": {"path": str(spec_path) if spec_path else None, "sha256": sha256_of_file(spec_path)},
            "issued_at": (issued_at or datetime.now(UTC)).isoformat(timespec="seconds"),
            "config_digest": config_digest(public_config),
            "model": {"sha256": model_digest(), "table": "crux-conformance model --table"},
            "credentials_configured": sorted(public_config.get("credentials", []) or []),
            "transport": public_config.get("transport"),  # TLS verification (off is said here), proxy, body limit
        },
        "stopped": stopped,
        "summary": counts,
        "failed": [item.requirement.id for item in verdicts if item.verdict is Verdict.FAIL],
        "not_verified": [item.requirement.id for item in verdicts if item.verdict is Verdict.NOT_VERIFIED],
        "requirements": [item.as_dict() for item in verdicts],
    }
