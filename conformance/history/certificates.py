"""Reading a run's ``certificate.json`` (from the file or its report folder) and the report digests it carries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from conformance.errors import UsageError
from conformance.history.records import RequirementOutcome
from conformance.reporting.certificate import sha256_of_file

CERTIFICATE = "certificate.json"
DIGESTED_REPORTS = ("results.json", "exchanges.jsonl")
"""The run files whose sha256 the certificate carries under ``reports``."""


def certificate_path(path: Path) -> Path:
    """``path`` itself when it is a file, else ``path/certificate.json``; one UsageError line when missing."""
    path = Path(path)
    candidate = path / CERTIFICATE if path.is_dir() else path
    if not candidate.is_file():
        where = f"{path} has no {CERTIFICATE}" if path.is_dir() else f"{path}: no such file or folder"
        raise UsageError(f"{where} (give a report folder or a certificate.json)")
    return candidate


def load_certificate(path: Path) -> dict[str, object]:
    """The certificate at ``path`` (a file or a report folder); malformed JSON is one UsageError line."""
    file = certificate_path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{file}: cannot read it ({error})") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{file}: not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(document, dict) or not isinstance(document.get("requirements"), list):
        raise UsageError(f"{file}: not a crux-conformance certificate (no requirements list)")
    return document


def requirement_outcomes(certificate: Mapping[str, object]) -> tuple[RequirementOutcome, ...]:
    """The certificate's per-requirement verdicts, reasons and evidence."""
    outcomes = []
    for item in certificate.get("requirements") or []:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            outcomes.append(
                RequirementOutcome(
                    requirement=str(item["id"]),
                    verdict=str(item.get("verdict")),
                    reasons=tuple(str(reason) for reason in item.get("reasons") or []),
                    evidence=tuple(str(nodeid) for nodeid in item.get("evidence") or []),
                    title=str(item.get("title") or ""),
                )
            )
    return tuple(outcomes)


def report_digests(report_dir: Path) -> dict[str, str | None]:
    """sha256 of each digested run file in ``report_dir`` (None for a file the run did not write)."""
    return {name: sha256_of_file(Path(report_dir) / name) for name in DIGESTED_REPORTS}
