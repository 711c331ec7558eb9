"""The fault-detection matrix: one row per fault run, rendered to ``reports/fault-matrix.md``.

Each fault's self-test writes its row as a small JSON file (xdist workers are separate processes)
and re-renders the whole matrix from every row under a file lock, so the file is complete when
the last fault test ends, however the tests were distributed.
"""

from __future__ import annotations

import fcntl
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.targets import FAULTS

REPO_ROOT = Path(__file__).resolve().parents[2]
MATRIX_PATH = REPO_ROOT / "reports" / "fault-matrix.md"
ROWS_DIR = REPO_ROOT / "reports" / "fault-matrix-rows"


@dataclass(frozen=True)
class Row:
    """One fault's run: what it violates, what the suite failed, and whether that was detected."""

    fault: str
    requirement: str
    also: list[str]
    exit_code: int
    failed: list[str]
    seconds: float
    finished_at: float

    @property
    def detected(self) -> bool:
        """The suite exited 1 and failed the fault's own requirement."""
        return self.exit_code == 1 and self.requirement in self.failed

    @property
    def extra(self) -> list[str]:
        """Failed ids beyond the requirement and its declared ``also``."""
        return sorted(set(self.failed) - {self.requirement, *self.also})


def record(fault: str, exit_code: int, failed: set[str], seconds: float) -> Row:
    """Store one fault's row and re-render the matrix; return the row."""
    spec = FAULTS[fault]
    row = Row(fault, spec.requirement, list(spec.also), exit_code, sorted(failed), round(seconds, 1), time.time())
    ROWS_DIR.mkdir(parents=True, exist_ok=True)
    with open(ROWS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        (ROWS_DIR / f"{fault}.json").write_text(json.dumps(asdict(row)), encoding="utf-8")
        MATRIX_PATH.write_text(render(load_rows()), encoding="utf-8")
    return row


def load_rows() -> list[Row]:
    """Every stored row for a fault still in the registry, in registry order."""
    rows = {}
    for path in ROWS_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["fault"] in FAULTS:
            rows[data["fault"]] = Row(**data)
    return [rows[name] for name in FAULTS if name in rows]


def detection_line(rows: list[Row]) -> str:
    """``detected N/M faults (P%)`` over the given rows."""
    detected = sum(row.detected for row in rows)
    share = 100.0 * detected / len(rows) if rows else 0.0
    return f"fault detection: {detected}/{len(rows)} faults detected ({share:.0f}%), {len(FAULTS)} in the bank"


def render(rows: list[Row]) -> str:
    """The matrix as Markdown: summary line, one row per fault, then faults per requirement."""
    lines = [
        "# Fault-detection matrix",
        "",
        "Each fault of `tests/targets/faults.py`, injected into its conformant style's target, judged by",
        "`crux-conformance run -- -m 'not model' -k 'not test_fuzz_stateful'` (the hand-written checks and the",
        "fuzz stage's fuzzing item; the model stage has its own fault bank, `tests/selftest/test_model_faults.py`).",
        "*Detected* means exit 1 with the fault's own requirement among the failed ids; *extra* lists failed ids",
        "beyond the requirement and its declared `also`.",
        "",
        detection_line(rows),
        "",
        "| fault | style | violates | also | exit | failed requirement ids | detected | extra | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| `{row.fault}` | {FAULTS[row.fault].style} | {row.requirement} "
            f"| {', '.join(row.also) or '-'} | {row.exit_code} "
            f"| {', '.join(sorted(row.failed)) or '-'} | {'yes' if row.detected else '**NO**'} "
            f"| {', '.join(row.extra) or '-'} | {row.seconds} |"
        )
    tripped: dict[str, list[str]] = {}
    for row in rows:
        for requirement in row.failed:
            tripped.setdefault(requirement, []).append(row.fault)
    lines += ["", "## Faults that trip each requirement", "", "| requirement | faults |", "|---|---|"]
    lines += [f"| {rid} | {', '.join(f'`{name}`' for name in tripped[rid])} |" for rid in sorted(tripped)]
    return "\n".join(lines) + "\n"


def summary_since(started_at: float) -> str | None:
    """The detection line if the matrix was written during a session that started at ``started_at``."""
    if not MATRIX_PATH.is_file() or MATRIX_PATH.stat().st_mtime < started_at:
        return None
    rows = [row for row in load_rows() if row.finished_at >= started_at]
    return f"{detection_line(rows)} this session; matrix in {MATRIX_PATH.relative_to(REPO_ROOT)}"
