"""Digests of what judged a run: the suite's verdict-making code and the contract model (its table).

``can-i-release`` compares a run's digests with the installed suite's, so a run made by an older suite
or against another spec does not clear a release.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import conformance
from conformance.fuzz.spec import default_spec_path
from conformance.model.table import digest as model_table_digest
from conformance.reporting.certificate import sha256_of_file

SUITE_PARTS = (
    "checks", "fuzz", "model", "plugin", "provisioning", "transport", "probes.py", "hygiene.py", "requirements.py",
)
"""The parts of the package that decide verdicts (relative to the package folder; absent parts are skipped)."""


def suite_sha256() -> str:
    """sha256 over the sources (path and bytes) of every module that decides a verdict."""
    root = Path(conformance.__file__).resolve().parent
    digest = hashlib.sha256()
    for part in SUITE_PARTS:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def model_sha256() -> str:
    """sha256 of the contract model the suite judges by: the model's table (``crux-conformance model --table``)."""
    return model_table_digest()


def current_spec_sha256() -> str | None:
    """sha256 of the spec a run uses by default (the committed ``specs/openapi.yaml``)."""
    return sha256_of_file(default_spec_path())
