"""Benchmark: faults the fuzz stage alone detects versus plain ``st run specs/openapi.yaml``, on the fault bank.

For every fault of ``tests.targets.FAULTS`` (and once without a fault, as the baseline) it serves the
faulty target and runs two tools against it with the same example budget and seed:

- the fuzz stage:  pytest ``-m fuzz`` on ``conformance.checks.test_fuzz`` with the suite's plugins, config
                   and provisioning (``tests.cli_runs.run_stage``);
- plain Schemathesis: ``st run specs/openapi.yaml --url BASE -H "Authorization: Token <supplier>"`` from an
                   empty directory (no ``schemathesis.toml``: Schemathesis' defaults, every operation).

A tool *detects* a fault when the faulty target gives it a failure the fault-free target did not: for
the fuzz stage, a failing test or failure code absent from the baseline run; for plain Schemathesis, a
(failure code, operation) pair absent from its baseline JSON report. The figures are printed per fault
and in total; the exit code is 0 when the fuzz stage detects strictly more faults, 1 otherwise.

    .venv/bin/python benchmarks/bench_fuzz_detection.py [--faults a,b] [--examples 25] [--seed 1] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.cli_runs import run_stage  # noqa: E402
from tests.targets import FAULTS, serve_target  # noqa: E402

SPEC = REPO_ROOT / "specs" / "openapi.yaml"
ST_TIMEOUT_SECONDS = 900
FUZZ_SIGNATURE = re.compile(r"(ST\d{3} [^\n]+|REJ-\d{3}: [^\n(]+|^FAILED \S+)", re.MULTILINE)


@dataclass(frozen=True)
class Outcome:
    """What one tool reported against one target: its failure signatures and how long it took."""

    signatures: frozenset[str]
    seconds: float
    exit_code: int


def fuzz_stage(fault: str | None, style: str, examples: int, seed: int) -> Outcome:
    """Run the fuzz stage alone against a target with ``fault``."""
    with serve_target(style, fault) as target, tempfile.TemporaryDirectory(prefix="bench-fuzz-") as scratch:
        run = run_stage(target.config_toml(), Path(scratch), "--fuzz-examples", str(examples), "--seed", str(seed))
    signatures = frozenset(match.strip() for match in FUZZ_SIGNATURE.findall(run.output))
    return Outcome(signatures, run.elapsed, run.code)


def plain_schemathesis(fault: str | None, style: str, examples: int, seed: int) -> Outcome:
    """Run plain ``st run specs/openapi.yaml`` with the supplier token header against a target with ``fault``."""
    st = Path(sys.executable).with_name("st")
    with serve_target(style, fault) as target, tempfile.TemporaryDirectory(prefix="bench-st-") as scratch:
        command = [
            str(st), "run", str(SPEC), "--url", target.base_url,
            "-H", f"Authorization: Token {target.credentials['supplier']}",
            "--max-examples", str(examples), "--seed", str(seed),
            "--report", "json", "--report-dir", scratch, "--no-color",
        ]  # fmt: skip
        env = {key: value for key, value in os.environ.items() if not key.startswith(("CRUX_", "PYTEST_"))}
        started = time.monotonic()
        completed = subprocess.run(
            command, cwd=scratch, env=env, capture_output=True, text=True, timeout=ST_TIMEOUT_SECONDS, check=False
        )
        seconds = time.monotonic() - started
        reports = list(Path(scratch).glob("*.json"))
        if not reports:
            raise RuntimeError(f"st run wrote no JSON report (exit {completed.returncode}): {completed.stderr[-500:]}")
        report = json.loads(reports[0].read_text(encoding="utf-8"))
    signatures = frozenset(
        f"{failure['code']} {operation}"
        for failure in report.get("failures", [])
        for operation in failure.get("operations", [])
    )
    return Outcome(signatures, seconds, completed.returncode)


def main() -> int:
    """Run both tools over the fault bank and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", help="comma-separated fault names (default: the whole bank)")
    parser.add_argument("--style", default="json", help="target style (default json)")
    parser.add_argument("--examples", type=int, default=25, help="examples per operation for both tools")
    parser.add_argument("--seed", type=int, default=1, help="seed for both tools")
    parser.add_argument("--jobs", type=int, default=2, help="faults run in parallel (default 2)")
    args = parser.parse_args()
    faults = args.faults.split(",") if args.faults else sorted(FAULTS)
    unknown = [name for name in faults if name not in FAULTS]
    if unknown:
        parser.error(f"unknown fault(s): {', '.join(unknown)}")

    def both(fault: str | None) -> tuple[Outcome, Outcome]:
        return (
            fuzz_stage(fault, args.style, args.examples, args.seed),
            plain_schemathesis(fault, args.style, args.examples, args.seed),
        )

    started = time.monotonic()
    fuzz_base, plain_base = both(None)
    print(f"baseline (no fault): fuzz stage exit {fuzz_base.exit_code} in {fuzz_base.seconds:.1f}s, "
          f"{len(fuzz_base.signatures)} failure signatures; plain st exit {plain_base.exit_code} in "
          f"{plain_base.seconds:.1f}s, {len(plain_base.signatures)} failure signatures")
    results: dict[str, tuple[Outcome, Outcome]] = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(both, name): name for name in faults}
        for future in as_completed(futures):
            name = futures[future]
            results[name] = future.result()
            print(f"  done {len(results)}/{len(faults)}: {name}", flush=True)

    fuzz_total = plain_total = 0
    print(f"\n{'fault':<34} {'req':<8} {'fuzz stage':<11} {'plain st':<9} new failures (fuzz stage)")
    for name in faults:
        fuzz, plain = results[name]
        fuzz_new = sorted(fuzz.signatures - fuzz_base.signatures)
        plain_new = sorted(plain.signatures - plain_base.signatures)
        fuzz_total += bool(fuzz_new)
        plain_total += bool(plain_new)
        shown = "; ".join(fuzz_new)[:90]
        print(f"{name:<34} {FAULTS[name].requirement:<8} {'DETECTED' if fuzz_new else '-':<11} "
              f"{'DETECTED' if plain_new else '-':<9} {shown}")
    print(f"\nfaults: {len(faults)}; detected by the fuzz stage: {fuzz_total}; by plain st run: {plain_total}; "
          f"{time.monotonic() - started:.0f}s ({args.examples} examples per operation, seed {args.seed})")
    verdict = fuzz_total > plain_total
    print("fuzz stage detects strictly more: " + ("yes" if verdict else "NO"))
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
