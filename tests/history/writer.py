"""A history writer process for the concurrency tests: ``python -m tests.history.writer URL NAME COUNT``."""

from __future__ import annotations

import sys

from conformance.history.records import RequirementOutcome, RunRecord
from conformance.history.store import now_iso, open_history
from conformance.requirements import CATALOGUE


def record(url: str, name: str, count: int) -> None:
    """Record ``count`` runs of version ``name-i``, each opening the history anew (as parallel CI jobs do)."""
    for index in range(count):
        outcomes = tuple(RequirementOutcome(req.id, "pass", (), (f"t::{req.id}",)) for req in CATALOGUE)
        run = RunRecord(
            target="http://127.0.0.1:9", target_version=f"{name}-{index}", environment="ci", verdict="CONFORMANT",
            exit_code=0, suite_version="0", suite_sha256=None, spec_sha256=None, model_sha256=None,
            certificate_sha256=None, issued_at=None, recorded_at=now_iso(), requirements=outcomes,
        )  # fmt: skip
        with open_history(url) as store:
            store.record_run(run)


if __name__ == "__main__":
    record(sys.argv[1], sys.argv[2], int(sys.argv[3]))
