"""The one writer of run files: ``results.json``, ``exchanges.jsonl``, ``traffic.json``, ``orders.json``,
the certificate, and the last pass that masks any secret that reached a report anyway.

Nothing else under ``conformance/`` writes into a report folder (pytest-html and pytest's junit writer
write ``report.html`` and ``junit.xml`` themselves, and are masked here afterwards).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from conformance.recorder import Recorder
from conformance.redaction import Redactor
from conformance.results import TestResult, verdicts_by_requirement

REPORT_SUFFIXES = (".html", ".xml", ".json", ".jsonl")


def _write_json(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def write_results(
    path: Path,
    *,
    target: str | None,
    exit_code: int,
    tests: Sequence[TestResult],
    latency: Mapping[str, Mapping[str, float]],
    fuzz_status_mix: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Write results.json: per-test outcomes, per-requirement verdicts, latency, the fuzz status mix."""
    document: dict[str, Any] = {
        "target": target,
        "exit_code": int(exit_code),
        "tests": [asdict(test) for test in tests],
        "requirements": verdicts_by_requirement(tests),
        "latency": latency,
    }
    if fuzz_status_mix:
        document["fuzz_status_mix"] = {label: dict(mix) for label, mix in fuzz_status_mix.items()}
    _write_json(path, document)


def write_exchanges(path: Path, recorder: Recorder) -> None:
    """Write every recorded exchange (redacted) as JSON lines, each with the check that made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as log:
        for check, exchange in recorder.labelled():
            log.write(json.dumps({"check": check, **exchange.as_record()}) + "\n")


def write_traffic(path: Path, traffic: Mapping[str, Any]) -> None:
    """Write traffic.json: requests sent under the run's limits and the 429s waited out."""
    _write_json(path, dict(traffic))


def write_orders(path: Path, orders: Iterable[Mapping[str, str]]) -> None:
    """Write orders.json (mode ``api``: what the run created, for clean-up); nothing when there are none."""
    listed = [dict(order) for order in orders]
    if listed:
        _write_json(path, listed)


def write_certificate(report_dir: Path, certificate: Mapping[str, object]) -> tuple[Path, Path]:
    """Write ``certificate.json`` and ``certificate.html`` into the report folder; return both paths."""
    from conformance.reporting.certificate_html import render_certificate_html

    json_path = report_dir / "certificate.json"
    html_path = report_dir / "certificate.html"
    _write_json(json_path, certificate)
    html_path.write_text(render_certificate_html(certificate), encoding="utf-8")
    return json_path, html_path


def mask_secrets(report_dir: Path, redactor: Redactor) -> None:
    """Mask any secret that reached a report anyway (belt and braces: reports are shared widely)."""
    for path in report_dir.iterdir():
        if path.suffix in REPORT_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            masked = redactor.text(text)
            if masked != text:
                path.write_text(masked, encoding="utf-8")
