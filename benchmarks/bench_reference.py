"""Benchmark: the reference's throughput and latency for the reject endpoint under concurrent clients.

Starts ``crux-conformance serve`` in its own process (or, with ``--in-process``, the way
``crux-conformance run`` starts it), creates pending cancellations through the provider-states
endpoint, then sends PATCH rejects from N client threads (keep-alive sessions, loopback) in two phases:

- ``reject pending``  each request rejects a fresh pending cancellation (200: the write path)
- ``reject again``    requests re-reject already rejected orders (422: lookup and conditional update)

Prints requests/s and p50/p95/p99/max latency per phase (``--json`` for machine-readable output), so
later issues can judge how much of a suite run is server time.

    .venv/bin/python benchmarks/bench_reference.py [--clients 16] [--requests 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests

TIMEOUT = 30
STATE = "a pending order cancellation"


@contextmanager
def served_reference(in_process: bool) -> Iterator[dict]:
    """Yield ``{"base_url", "state_url", "supplier"}`` for a reference with provider states."""
    if in_process:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from conformance.reference import start_reference

        with start_reference(provider_states=True) as ref:
            yield {"base_url": ref.base_url, "state_url": ref.state_url, "supplier": ref.credentials["supplier"]}
        return
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / "conformance.toml"
        process = subprocess.Popen(
            [sys.executable, "-m", "conformance", "serve", "--port", "0", "--provider-states",
             "--write-config", str(config_file)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            cwd=Path(__file__).resolve().parents[1], env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            timer = threading.Timer(60, process.kill)
            timer.start()
            for line in process.stdout:
                if re.search(r"listening on http://", line):
                    break
            timer.cancel()
            config = tomllib.loads(config_file.read_text(encoding="utf-8"))
            yield {"base_url": config["target"]["base_url"], "state_url": config["provisioning"]["state_url"],
                   "supplier": config["credentials"]["supplier"]}
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def create_pending_orders(state_url: str, count: int, clients: int) -> list[str]:
    """Create ``count`` pending cancellations through the provider-states endpoint."""

    def one(_: int) -> str:
        response = _session().post(state_url, json={"action": "setup", "state": STATE, "params": {}}, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()["order_uuid"]

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(count)))


def measure(base_url: str, token: str, orders: list[str], clients: int) -> dict:
    """Reject every order once from ``clients`` threads; return throughput, percentiles and status counts."""
    headers = {"Authorization": f"Token {token}"}

    def one(order: str) -> tuple[int, float]:
        started = time.perf_counter()
        response = _session().patch(f"{base_url}/timp/orders/cancel/{order}/reject/", headers=headers, timeout=TIMEOUT)
        return response.status_code, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, orders))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for _, seconds in results)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(results),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "max_ms": round(latencies[-1], 2),
        "statuses": dict(sorted(Counter(status for status, _ in results).items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Run both phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads (default 16)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase (default 2000)")
    parser.add_argument("--in-process", action="store_true", help="run the server in this process, as `run` does")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 2:
        parser.error("--clients must be >= 1 and --requests >= 2")
    with served_reference(args.in_process) as target:
        setup_started = time.perf_counter()
        orders = create_pending_orders(target["state_url"], args.requests, args.clients)
        setup_seconds = time.perf_counter() - setup_started
        phases = {
            "reject pending": measure(target["base_url"], target["supplier"], orders, args.clients),
            "reject again": measure(target["base_url"], target["supplier"], orders, args.clients),
        }
    report = {
        "clients": args.clients,
        "server": "in-process" if args.in_process else "subprocess",
        "setup_orders_per_second": round(len(orders) / setup_seconds, 1),
        "phases": phases,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"reference reject endpoint, {args.clients} concurrent clients, server {report['server']}, loopback")
    print(f"  setup: {len(orders)} pending cancellations at {report['setup_orders_per_second']}/s")
    print(f"  {'phase':<16}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses")
    for name, figures in phases.items():
        print(f"  {name:<16}{figures['requests']:>9}{figures['requests_per_second']:>9}{figures['p50_ms']:>9}"
              f"{figures['p95_ms']:>9}{figures['p99_ms']:>9}{figures['max_ms']:>9}  {figures['statuses']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
