"""Time a full default `crux-conformance run` against the bundled reference and print the figures.

Goal: under 30 s wall on a 2-core machine, never over 60 s. Prints the wall time, the requests the
hand-written checks sent, and the share of wall time spent waiting on the server (sum of request
latencies / wall; the fuzz stage's own requests are not in that count). Usage:

    .venv/bin/python benchmarks/bench_run.py [--repeat N] [-- PYTEST_ARGS]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S, LIMIT_S = 30.0, 60.0


def one_run(passthrough: list[str]) -> dict[str, float]:
    """Run the default command once in a subprocess; return its figures."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        reports = Path(scratch) / "reports"
        command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(reports)]
        if passthrough:
            command += ["--", *passthrough]
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT_S * 3, cwd=scratch)
        wall = time.perf_counter() - started
        if completed.returncode != 0:
            sys.exit(f"bench_run: the run exited {completed.returncode}:\n{completed.stdout[-2000:]}{completed.stderr}")
        results = json.loads((reports / "results.json").read_text())
    session = re.findall(r" in ([0-9.]+)s", completed.stdout)
    latency = results["latency"]
    requests_sent = sum(int(stats["count"]) for stats in latency.values())
    waiting = sum(float(stats["total_ms"]) for stats in latency.values()) / 1000
    return {
        "wall_s": wall,
        "session_s": float(session[-1]) if session else float("nan"),
        "requests": requests_sent,
        "waiting_s": waiting,
        "tests": len(results["tests"]),
    }


def main() -> None:
    """Parse options, run, print one line per run and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    arguments, passthrough = parser.parse_known_args()
    passthrough = [arg for arg in passthrough if arg != "--"]
    walls = []
    for index in range(arguments.repeat):
        figures = one_run(passthrough)
        walls.append(figures["wall_s"])
        print(
            f"run {index + 1}: wall {figures['wall_s']:.2f} s (pytest session {figures['session_s']:.2f} s, "
            f"the rest start-up, reference, reports), {figures['tests']} checks, "
            f"{figures['requests']} requests by the checks, waiting on the server {figures['waiting_s']:.2f} s "
            f"({100 * figures['waiting_s'] / figures['wall_s']:.0f}% of wall)"
        )
    median = statistics.median(walls)
    verdict = "within goal" if median < GOAL_S else ("over goal" if median < LIMIT_S else "OVER LIMIT")
    print(f"median wall {median:.2f} s ({verdict}: goal < {GOAL_S:.0f} s, limit {LIMIT_S:.0f} s)")


if __name__ == "__main__":
    main()
