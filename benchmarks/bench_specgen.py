"""Time generating the OpenAPI document from the whole docs tree (goal: under 2 s on this machine).

Usage: .venv/bin/python benchmarks/bench_specgen.py [--docs ../shared/crux-docs] [--runs 5]
Prints one line per run and a summary; the figures are reported, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from conformance.specgen import generate, render

GOAL_SECONDS = 2.0
DEFAULT_DOCS = Path(__file__).resolve().parents[1] / ".." / "shared" / "crux-docs"


def main() -> int:
    """Generate and render the document ``--runs`` times in this process; print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS.resolve())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.docs.is_dir():
        print(f"docs tree not found: {args.docs}", file=sys.stderr)
        return 4
    timings = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        generated = generate(args.docs)
        size = len(render(generated.document).encode("utf-8"))
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        print(f"run {run}: {elapsed:.3f} s ({generated.operation_count} operations, {size} bytes)")
    verdict = "meets" if max(timings) < GOAL_SECONDS else "MISSES"
    print(
        f"generate+render: min {min(timings):.3f} s, median {statistics.median(timings):.3f} s, "
        f"max {max(timings):.3f} s over {len(timings)} runs; {verdict} the {GOAL_SECONDS:.0f} s goal"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
