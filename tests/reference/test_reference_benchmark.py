"""The benchmark script runs end to end and reports every figure (its speed is printed, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys


def test_benchmark_reports_throughput_and_percentiles(repo_root):
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_reference.py", "--clients", "4", "--requests", "40", "--json"],
        cwd=repo_root, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["clients"] == 4
    pending, again = report["phases"]["reject pending"], report["phases"]["reject again"]
    assert pending["statuses"] == {"200": 40}
    assert again["statuses"] == {"422": 40}
    for figures in (pending, again):
        assert figures["requests_per_second"] > 0
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
