"""Benchmark the model stage: speed against the reference, its share of a full run, detection on the bank.

Prints:

- scenarios/s and requests/s of the model stage (default budget, in-process) against the bundled reference;
- what the model stage adds to a full default ``crux-conformance run`` against the reference (wall time of
  the run with it and without it: the stage runs in the background beside the other checks);
- for every fault of ``MODEL_FAULTS``: in how many of ``--seeds`` seeded runs (seeds 0..N-1) the model
  stage, at the default budget, fails the fault's requirement (the issue's bar: at least 19 of 20);
- detection over the whole bank per budget (``--model-examples`` 10/25/50/100, ``--budget-seeds`` each).

    .venv/bin/python benchmarks/bench_model.py [--seeds 20] [--budget-seeds 3] [--jobs 2] [--skip-full-run]
        [--skip-budgets] [--faults a,b]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from conformance.model.harness import run_against  # noqa: E402
from conformance.model.machine import ModelBudget  # noqa: E402
from conformance.model.options import DEFAULT_EXAMPLES, DEFAULT_STEPS  # noqa: E402
from conformance.reference import start_reference  # noqa: E402
from tests.targets import serve_target  # noqa: E402
from tests.targets.faults import MODEL_FAULTS  # noqa: E402

BUDGETS = (10, 25, 50, 100)


def detected(job: tuple[str, int, int]) -> tuple[str, int, int, bool, float]:
    """Run the model stage once against a faulty target: ``(fault, examples, seed, detected, seconds)``."""
    fault, examples, seed = job
    spec = MODEL_FAULTS[fault]
    started = time.perf_counter()
    with serve_target(style=spec.style, fault=fault) as target:
        run = run_against(target.config_toml(), ModelBudget(examples=examples, steps=DEFAULT_STEPS, seed=seed,
                                                            shrink=False))  # fmt: skip
    found = run.failure is not None and spec.requirement in run.failure.requirements
    return fault, examples, seed, found, time.perf_counter() - started


def speed_against_reference(seeds: int) -> None:
    """Scenarios and requests per second at the default budget against the reference."""
    with start_reference(provider_states=True) as reference:
        for seed in range(seeds):
            started = time.perf_counter()
            run = run_against(reference.config_toml(), ModelBudget(seed=seed, shrink=False))
            seconds = time.perf_counter() - started
            verdict = "passed" if run.failure is None else f"FAILED {run.failure}"
            print(
                f"reference, seed {seed}: {run.scenarios} scenarios, {run.requests} requests in {seconds:.2f} s "
                f"= {run.scenarios / seconds:.1f} scenarios/s, {run.requests / seconds:.0f} requests/s; {verdict}"
            )


def share_of_full_run() -> None:
    """What the model stage adds to a full default run against the reference: its wall with and without it.

    The stage runs in the background beside the other checks, so its check's junit time is only what it
    still waited for after them; ``benchmarks/bench_run.py`` prints the stage's own span.
    """

    def wall_of(*pytest_args: str) -> tuple[int, float]:
        with tempfile.TemporaryDirectory(prefix="bench-model-") as scratch:
            command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(Path(scratch) / "reports")]
            command += ["--", *pytest_args] if pytest_args else []
            started = time.perf_counter()
            completed = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=scratch)
            return completed.returncode, time.perf_counter() - started

    code, wall = wall_of()
    code_without, wall_without = wall_of("-m", "not model")
    added = wall - wall_without
    print(
        f"full default run: exit {code}, wall {wall:.2f} s; without the model stage: exit {code_without}, wall "
        f"{wall_without:.2f} s; the stage adds {added:.2f} s = {100 * added / wall:.0f}% of the full run's wall"
    )


def main() -> None:
    """Parse options and print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeded runs per fault at the default budget")
    parser.add_argument("--budget-seeds", type=int, default=3, help="seeded runs per fault and budget")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-full-run", action="store_true")
    parser.add_argument("--skip-budgets", action="store_true", help="leave out detection per budget")
    parser.add_argument("--faults", help="comma-separated subset of MODEL_FAULTS")
    arguments = parser.parse_args()
    faults = arguments.faults.split(",") if arguments.faults else sorted(MODEL_FAULTS)
    speed_against_reference(3)
    if not arguments.skip_full_run:
        share_of_full_run()
    with ProcessPoolExecutor(max_workers=arguments.jobs) as pool:
        jobs = [(fault, DEFAULT_EXAMPLES, seed) for fault in faults for seed in range(arguments.seeds)]
        by_fault: dict[str, list[bool]] = {}
        for fault, _, _, found, _ in pool.map(detected, jobs):
            by_fault.setdefault(fault, []).append(found)
        print(f"\ndetection at the default budget ({DEFAULT_EXAMPLES} examples x {DEFAULT_STEPS} steps), "
              f"{arguments.seeds} seeds each:")  # fmt: skip
        for fault in faults:
            hits = sum(by_fault[fault])
            mark = "" if hits >= 0.95 * arguments.seeds else "   <-- below 19/20"
            print(f"  {fault:32} {MODEL_FAULTS[fault].requirement}  {hits}/{arguments.seeds}{mark}")
        if arguments.skip_budgets:
            return
        budget_jobs = [(f, b, seed) for b in BUDGETS for f in faults for seed in range(arguments.budget_seeds)]
        per_budget: dict[int, list[bool]] = {}
        for _, examples, _, found, _ in pool.map(detected, budget_jobs):
            per_budget.setdefault(examples, []).append(found)
        print(f"\ndetection per budget ({arguments.budget_seeds} seeds x {len(faults)} faults each):")
        for examples in BUDGETS:
            hits = per_budget[examples]
            share = 100 * sum(hits) / len(hits)
            print(f"  --model-examples {examples:3}: {sum(hits)}/{len(hits)} runs detect ({share:.0f}%)")


if __name__ == "__main__":
    main()
