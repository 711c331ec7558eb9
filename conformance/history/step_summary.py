"""The Markdown a GitHub Actions job shows: ``run`` and ``compare`` append theirs to ``GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def append_step_summary(markdown: str) -> Path | None:
    """Append ``markdown`` to the file named by ``GITHUB_STEP_SUMMARY``; None when unset (or unwritable: warned)."""
    target = os.environ.get(STEP_SUMMARY_ENV, "").strip()
    if not target:
        return None
    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(markdown.rstrip("\n") + "\n\n")
    except OSError as error:
        print(f"crux-conformance: warning: cannot write {STEP_SUMMARY_ENV} ({error.strerror})", file=sys.stderr)
        return None
    return Path(target)


def run_summary_markdown(certificate: Mapping[str, object], *, recorded: str | None = None) -> str:
    """A run's summary: verdict, counts, what failed (with its first reason), what was not verified, signature."""
    covers = certificate.get("covers") if isinstance(certificate.get("covers"), Mapping) else {}
    assert isinstance(covers, Mapping)
    version = covers.get("target_version")
    title = f"## Conformance run: {certificate.get('verdict')}"
    lines = [title, "", f"- target: `{covers.get('target')}`" + (f" version `{version}`" if version else "")]
    summary = certificate.get("summary") if isinstance(certificate.get("summary"), Mapping) else {}
    assert isinstance(summary, Mapping)
    lines.append("- requirements: " + ", ".join(f"{count} {kind}" for kind, count in summary.items()))
    signature = certificate.get("signature")
    if isinstance(signature, Mapping):
        lines.append(f"- signed by {signature.get('signer')} (key `{signature.get('key_fingerprint')}`)")
    if recorded:
        lines.append(f"- {recorded}")
    requirements = [item for item in certificate.get("requirements") or [] if isinstance(item, Mapping)]
    failed = [item for item in requirements if item.get("verdict") == "fail"]
    unverified = [item for item in requirements if item.get("verdict") == "not verified"]
    if failed:
        lines += ["", "| failed | title | first reason |", "|---|---|---|"]
        for item in failed:
            reason = next(iter(item.get("reasons") or []), "")
            lines.append(f"| {item.get('id')} | {_cell(item.get('title'))} | {_cell(reason)} |")
    if unverified:
        lines += ["", "Not verified: " + ", ".join(str(item.get("id")) for item in unverified)]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    text = str(value or "").replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 200 else text[:199] + "…"
