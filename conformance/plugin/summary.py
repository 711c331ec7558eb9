"""The terminal summary: one line per requirement, the skipped destructive checks, latency and traffic."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from conformance import requirements
from conformance.plugin.collection import NOT_DESTRUCTIVE_REASON, PRODUCTION_REASON
from conformance.plugin.session import run_session
from conformance.results import verdicts_by_requirement


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print one line per requirement (passed / failed / not verified) and the skipped destructive checks."""
    session = run_session(config)
    if not session.active or not session.results:
        return
    write = terminalreporter.write_line
    if session.target_stopped and session.stop_reason:
        terminalreporter.section("could not judge", red=True)
        write(session.stop_reason)
    result = session.result()
    tests = result.tests
    not_run = sorted({t.requirement or "" for t in tests if t.message in (NOT_DESTRUCTIVE_REASON, PRODUCTION_REASON)})
    terminalreporter.section("conformance by requirement")
    if not_run:
        write(f"destructive checks not run ({len(not_run)} requirements): {', '.join(not_run)}")
    verdicts = verdicts_by_requirement(tests)
    selected = {test.requirement for test in tests} | {rid for test in tests for rid in test.broken}
    for requirement in requirements.CATALOGUE:
        if requirement.id in selected:
            write(f"{requirement.id}  {verdicts[requirement.id].upper():<13} {requirement.title}")
    unselected = [requirement.id for requirement in requirements.CATALOGUE if requirement.id not in selected]
    if unselected:
        write(f"not verified, no check selected in this run: {', '.join(unselected)}")
    for endpoint, figures in result.latency.items():
        write(
            f"latency {endpoint}: n={figures['count']:.0f} p50={figures['p50_ms']}ms "
            f"p95={figures['p95_ms']}ms p99={figures['p99_ms']}ms"
        )
    for line in traffic_lines(result.traffic):
        write(line)


def traffic_lines(traffic: Mapping[str, object]) -> list[str]:
    """Lines on the requests sent under the run's limits and the 429s waited out (never judged)."""
    limits = []
    if traffic["max_rps"] is not None:
        limits.append(f"rate capped at {traffic['max_rps']:g}/s (burst {traffic['burst']})")
    if traffic["max_requests"] is not None:
        limits.append(f"budget {traffic['max_requests']}")
    lines = [f"requests sent: {traffic['requests_sent']}" + (f" ({', '.join(limits)})" if limits else "")]
    if traffic["throttled"]:
        lines.append(
            f"429 Too Many Requests: {traffic['throttled']} answer(s) waited out "
            f"({traffic['throttled_wait_seconds']}s, Retry-After honoured); not counted as non-conformance"
        )
    return lines
