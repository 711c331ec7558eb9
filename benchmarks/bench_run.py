"""Time a full default `crux-conformance run` and print where the time goes, phase by phase.

Goal (issue 14): a full default run <= 6 s median wall on 2 cores and <= 2x the time spent waiting on the
target; ``-- -m smoke`` <= 2 s. Each run is ``python benchmarks/phase_clock.py`` in a fresh subprocess and
scratch folder (the same run, observed: see that module). Printed per run and as medians:

- the phases: imports, reference start, preflight, other set-up, pytest start-up and collection, the
  hand-written checks, the model stage, the fuzz stage, reports, reference stop, interpreter exit;
- the model stage's own span: it runs in the background from the first check, beside the hand-written checks
  and the fuzz stage, so its line "model stage" is only what its check still waited for after them;
- waiting: wall time during which at least one request to the target was outstanding (every thread,
  provisioning and the fuzz stage included), and wall / waiting;
- CPU seconds of the run and its children (less sensitive to a busy machine than wall time).

``--latency-ms L`` starts the reference in its own process, puts a relay that delays every answer by L ms
in front of it (``tests/hostile/relay.py``) and runs with ``--config``, to show how run time grows with latency.
The header states the date, the core count and the load average: the machine is usually shared.

    .venv/bin/python benchmarks/bench_run.py [--repeat N] [--latency-ms L] [-- PYTEST_ARGS]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
RUN_TIMEOUT_SECONDS = 300
PHASES = (
    "imports",
    "reference start",
    "preflight",
    "other set-up",
    "pytest start-up + collection",
    "hand-written checks",
    "model stage",
    "fuzz stage",
    "reports",
    "reference stop",
    "interpreter exit",
)


#: The model stage's own span: it runs on its own thread from the first check; "model stage" above is what
#: the model check still waited for after the other checks.
BACKGROUND = "model stage in the background"


def union_length(intervals: list[tuple[float, float]], start: float = 0.0, end: float = float("inf")) -> float:
    """Total length covered by ``intervals`` (overlaps counted once), clipped to [start, end]."""
    covered, reach = 0.0, start
    for begin, finish in sorted(intervals):
        begin, finish = max(begin, reach), min(finish, end)
        if finish > begin:
            covered += finish - begin
            reach = finish
    return covered


def phases_of(record: dict, launch_offset: float, wall: float) -> dict[str, float]:
    """Seconds per phase from the clock's marks (``launch_offset``: interpreter start before the clock)."""
    marks, tests = record["marks"], [t for t in record["tests"] if t["end"] is not None]
    figures = dict.fromkeys(PHASES, 0.0)
    figures["imports"] = launch_offset + marks.get("imports_done", 0.0)
    if "reference_ready" in marks:
        figures["reference start"] = marks["reference_ready"] - marks["reference_start"]
        figures["reference stop"] = marks["reference_stopped"] - marks["reference_stop"]
    if "preflight_end" in marks:
        figures["preflight"] = marks["preflight_end"] - marks["preflight_start"]
    setup_from = marks.get("reference_ready", marks.get("imports_done", 0.0))
    figures["other set-up"] = marks.get("pytest_main_start", setup_from) - setup_from - figures["preflight"]
    if "collection_finished" in marks:
        figures["pytest start-up + collection"] = marks["collection_finished"] - marks["pytest_main_start"]
    names = {"checks": "hand-written checks", "model": "model stage", "fuzz": "fuzz stage"}
    for test in tests:
        figures[names[test["kind"]]] += test["end"] - test["start"]
    last_test_end = max((t["end"] for t in tests), default=marks.get("collection_finished", 0.0))
    reports_end = marks.get("reference_stop", marks.get("run_returned", last_test_end))
    figures["reports"] = reports_end - last_test_end
    if "run_returned" in marks:
        figures["interpreter exit"] = wall - launch_offset - marks["run_returned"]
    figures["total"] = wall
    figures["unaccounted"] = wall - sum(figures[name] for name in PHASES)
    if "model_background_end" in marks:  # overlaps the phases above, so not part of their sum
        figures[BACKGROUND] = marks["model_background_end"] - marks["model_background_start"]
    return figures


def one_run(passthrough: list[str], config: Path | None) -> dict[str, float]:
    """Run once in a subprocess with the phase clock; return its figures."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        reports, out = Path(scratch) / "reports", Path(scratch) / "phases.json"
        command = [sys.executable, str(HERE / "phase_clock.py"), str(out), "--report-dir", str(reports)]
        command += ["--config", str(config)] if config else []
        command += ["--", *passthrough] if passthrough else []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        launched_wall, started = time.time(), time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, cwd=scratch)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if completed.returncode != 0 or not out.is_file():
            sys.exit(f"bench_run: the run exited {completed.returncode}:\n{completed.stdout[-2000:]}{completed.stderr}")
        record = json.loads(out.read_text(encoding="utf-8"))
    figures = phases_of(record, record["started_wall"] - launched_wall, wall)
    figures["waiting"] = union_length([tuple(w) for w in record["waits"]])
    figures["requests"] = len(record["waits"])
    figures["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures["tests"] = len(record["tests"])
    for name in record["missing"]:
        print(f"  (not measured: {name} is gone from the code)")
    return figures


def describe(figures: dict[str, float]) -> str:
    """One block of text for one run (or the medians)."""
    lines = [
        f"  wall {figures['total']:.2f} s, CPU {figures['cpu']:.2f} s, {figures['tests']:.0f} tests, "
        f"{figures['requests']:.0f} requests, waiting on the target {figures['waiting']:.2f} s "
        f"(wall / waiting = {figures['total'] / max(figures['waiting'], 1e-9):.1f})"
    ]
    lines += [f"    {name:<30} {figures[name]:6.2f} s" for name in (*PHASES, "unaccounted")]
    if BACKGROUND in figures:
        lines.append(f"    {BACKGROUND:<30} {figures[BACKGROUND]:6.2f} s (from the first check, beside the others)")
    return "\n".join(lines)


def main() -> None:
    """Parse options, run, print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay every answer of the target by L ms")
    arguments, passthrough = parser.parse_known_args()
    passthrough = [arg for arg in passthrough if arg != "--"]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"bench_run: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {load}, latency {arguments.latency_ms:g} ms, pytest args {passthrough or 'none'}"
    )
    runs = []
    with ExitStack() as stack:
        config = None
        if arguments.latency_ms > 0:
            config = stack.enter_context(_relayed_reference(arguments.latency_ms))
        for index in range(arguments.repeat):
            figures = one_run(passthrough, config)
            runs.append(figures)
            print(f"run {index + 1}:\n{describe(figures)}", flush=True)
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(f"median of {len(runs)}:\n{describe(medians)}")
    print(f"load average after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


@contextmanager
def _relayed_reference(latency_ms: float) -> Iterator[Path]:
    """The reference in its own process behind a delaying relay; yields a config file pointing at the relay."""
    from conformance.reference.process import start_reference_process

    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.hostile.relay import relay

    with (
        start_reference_process(provider_states=True) as reference,
        relay(reference.base_url, delay=latency_ms / 1000) as relayed,
        tempfile.TemporaryDirectory(prefix="bench-relay-") as folder,
    ):
        config = Path(folder) / "relayed.toml"
        config.write_text(reference.config_toml.replace(reference.base_url, relayed.url), encoding="utf-8")
        yield config


if __name__ == "__main__":
    main()
