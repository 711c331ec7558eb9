"""The data of a run's outcome: per-test results with requirement ids, exit codes, latency figures.

``conformance.reporting.run_files`` writes them; their form in ``results.json``:

``{report_dir}/results.json``::

    {"target": base_url, "exit_code": N,
     "tests": [{"nodeid", "requirement", "outcome": passed|failed|skipped|error, "message"}],
     "requirements": {"REJ-010": "pass"|"fail"|"not verified"|"advisory"},
     "latency": {"reject": {"count", "p50_ms", "p95_ms", "p99_ms", "max_ms", "total_ms"}, ...}}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from conformance.errors import ExitCode

PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"


@dataclass(frozen=True)
class TestResult:
    """One test's outcome."""

    nodeid: str
    requirement: str | None
    outcome: str
    message: str
    broken: tuple[str, ...] = ()  # a failure that names the requirements it breaks (else: ``requirement``)


def exit_code_for(pytest_status: int) -> ExitCode:
    """Map pytest's exit status onto the contract's exit codes."""
    if pytest_status == 0:
        return ExitCode.CONFORMANT
    if pytest_status == 1:
        return ExitCode.NOT_CONFORMANT
    if pytest_status in (4, 5):  # usage error; no test selected (nothing was judged)
        return ExitCode.USAGE
    return ExitCode.CANNOT_JUDGE  # interrupted (pytest.exit), internal error


def verdicts_by_requirement(tests: Iterable[TestResult]) -> dict[str, str]:
    """Every catalogue requirement's verdict (pass, fail, not verified, advisory), judged by ``reporting``."""
    from conformance.reporting.verdicts import requirement_verdicts as judge

    return {item.requirement.id: str(item.verdict) for item in judge(asdict(test) for test in tests)}


def latency_samples(exchanges: Iterable[Any]) -> dict[str, list[float]]:
    """Elapsed seconds per endpoint, from recorded exchanges (anything with ``endpoint`` and ``elapsed``)."""
    samples: dict[str, list[float]] = {}
    for exchange in exchanges:
        samples.setdefault(exchange.endpoint, []).append(exchange.elapsed)
    return samples


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of ``samples`` (which must not be empty)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_summary(samples: Mapping[str, Sequence[float]]) -> dict[str, dict[str, float]]:
    """count, p50/p95/p99/max and total (time spent waiting) in milliseconds per endpoint, from seconds."""
    summary: dict[str, dict[str, float]] = {}
    for endpoint, values in sorted(samples.items()):
        if values:
            summary[endpoint] = {
                "count": len(values),
                "p50_ms": round(percentile(values, 0.50) * 1000, 2),
                "p95_ms": round(percentile(values, 0.95) * 1000, 2),
                "p99_ms": round(percentile(values, 0.99) * 1000, 2),
                "max_ms": round(max(values) * 1000, 2),
                "total_ms": round(sum(values) * 1000, 2),
            }
    return summary
