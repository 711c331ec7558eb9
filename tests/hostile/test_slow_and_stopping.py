"""Slow, stopping and interrupted targets: a correct but slow target is never failed; a target that stops
answering, or a run that is interrupted, ends with exit 2 and reports that say why, blaming no requirement.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_runs import run_conformance
from tests.hostile.relay import RelayServer, relay

#: Generous bounds on whole runs (they end far sooner on a quiet machine): a hang fails the test, not CI.
RUN_BOUND_SECONDS = 240
WAIT_BOUND_SECONDS = 120


def _certificate(report_dir: Path) -> dict:
    return json.loads((report_dir / "certificate.json").read_text())


def test_a_correct_but_slow_target_is_never_failed(tmp_path, reference, relay_config):
    # Two race rounds are both kinds a round comes in (all released together, then one request leading); each
    # costs three slow answers in turn (warm-up, the race, the re-read), so the default five would only repeat them.
    with relay(reference.base_url, delay=1.5) as slow:
        config = relay_config(slow.url, read=5)
        outcome = run_conformance(
            tmp_path, "--config", str(config), "--", "-k", "rej_013 or rej_001", "--race-rounds", "2",
            report_dir=tmp_path / "reports", timeout=RUN_BOUND_SECONDS,
        )  # fmt: skip
    assert outcome.code == 0, outcome.stdout[-3000:] + outcome.stderr
    assert {test["outcome"] for test in outcome.results["tests"]} == {"passed"}
    assert any("rej_013" in test["nodeid"] for test in outcome.results["tests"]), outcome.outcomes()


def test_a_read_timeout_flag_lets_a_slow_first_answer_through(tmp_path, reference, relay_config):
    with relay(reference.base_url, delay=2.5) as slow:
        config = relay_config(slow.url, read=1)  # the file's timeout is too short; the flag wins
        outcome = run_conformance(
            tmp_path, "--config", str(config), "--read-timeout", "6", "--", "-k", "rej_020",
            report_dir=tmp_path / "reports", timeout=RUN_BOUND_SECONDS,
        )  # fmt: skip
    assert outcome.code == 0, outcome.stdout[-3000:] + outcome.stderr


@pytest.mark.parametrize(("answered", "selection"),
                         [(6, ("-k", "rej_010 or rej_011 or rej_012")), (40, ("-m", "model"))],
                         ids=["checks", "model-lanes"])  # fmt: skip
def test_a_target_that_hangs_mid_run_is_exit_2_and_blames_no_requirement(
    tmp_path, reference, relay_config, answered, selection
):
    with relay(reference.base_url, answer_first=answered) as hanging:
        config = relay_config(hanging.url, connect=1, read=1)
        outcome = run_conformance(
            tmp_path, "--config", str(config), "--", *selection,
            report_dir=tmp_path / "reports", timeout=RUN_BOUND_SECONDS,
        )  # fmt: skip
    assert outcome.code == 2, outcome.stdout[-3000:] + outcome.stderr
    assert "could not judge: target unreachable: it stopped answering during the run" in outcome.stderr
    certificate = _certificate(outcome.report_dir)
    assert certificate["verdict"] == "INCOMPLETE"
    assert certificate["failed"] == []
    assert "stopped answering" in certificate["stopped"]


def _start_run(tmp_path: Path, config: Path, markers: str = "not fuzz") -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "conformance", "run", "--report-dir", str(tmp_path / "reports"),
               "--config", str(config), "--", "-m", markers]  # fmt: skip
    return subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_requests(server: RelayServer, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT_BOUND_SECONDS
    while server.received < count:
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the run sent {server.received} requests, expected {count} (exit {process.poll()})")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=WAIT_BOUND_SECONDS)


@pytest.mark.parametrize(("signal_number", "markers"),
                         [(signal.SIGINT, "not fuzz"), (signal.SIGTERM, "not fuzz"), (signal.SIGINT, "model")],
                         ids=["SIGINT", "SIGTERM", "SIGINT-in-the-model-lanes"])  # fmt: skip
def test_an_interrupted_run_still_writes_its_reports(tmp_path, reference, relay_config, signal_number, markers):
    with relay(reference.base_url, delay=0.2) as slow:
        process = _start_run(tmp_path, relay_config(slow.url), markers)
        try:
            _wait_for_requests(slow, 15, process)  # well inside the checks (or the model stage's lanes)
            process.send_signal(signal_number)
            stdout, stderr = process.communicate(timeout=WAIT_BOUND_SECONDS)
        finally:
            _stop(process)
    assert process.returncode == 2, stdout[-3000:] + stderr
    name = signal.Signals(signal_number).name
    assert f"could not judge: interrupted by {name} at " in stderr
    certificate = _certificate(tmp_path / "reports")
    assert certificate["verdict"] == "INCOMPLETE"
    assert certificate["stopped"].startswith(f"interrupted by {name} at ")
    assert (tmp_path / "reports" / "results.json").is_file()
    assert (tmp_path / "reports" / "report.html").is_file()


def test_an_interrupt_during_the_preflight_is_one_line(tmp_path, reference, relay_config):
    with relay(reference.base_url, answer_first=0) as silent:
        process = _start_run(tmp_path, relay_config(silent.url, read=60))
        try:
            _wait_for_requests(silent, 1, process)  # the preflight's first request, which will never be answered
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=WAIT_BOUND_SECONDS)
        finally:
            _stop(process)
    assert process.returncode == 2, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert stderr.strip().splitlines()[-1] == "crux-conformance: interrupted; exit 2"
