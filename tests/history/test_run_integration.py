"""Real `crux-conformance run`s: history, signature and step summary on SQLite; the reference and the history
on PostgreSQL (the reference's DATABASE_URL path). Two real runs in all: they are slow."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from conformance.history.store import open_history
from tests.cli_runs import run_conformance

from .cli import run_process

REPO_ROOT = Path(__file__).resolve().parents[2]
BANNER_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


def test_a_signed_run_recorded_in_sqlite_verifies_and_may_be_released(tmp_path, key_pair):
    private, public = key_pair
    history = tmp_path / "history.sqlite3"
    summary = tmp_path / "step-summary.md"
    outcome = run_conformance(
        REPO_ROOT, "--history", str(history), "--target-version", "1.4.0", "--environment", "staging",
        "--sign-key", str(private), "--signer", "ACME QA", "--", "-m", "not model",
        report_dir=tmp_path / "reports", env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip  # the model stage (~5 s) adds nothing to what is recorded and signed: a verdict per requirement
    assert outcome.code == 0, outcome.stdout[-3000:] + outcome.stderr[-3000:]
    assert f"recorded run #1 of 1.4.0 in {history}" in outcome.stdout
    certificate = json.loads((outcome.report_dir / "certificate.json").read_text())
    assert certificate["covers"]["target_version"] == "1.4.0" and certificate["covers"]["environment"] == "staging"
    assert set(certificate["reports"]) == {"results.json", "exchanges.jsonl"} and all(certificate["reports"].values())
    assert certificate["signature"]["signer"] == "ACME QA"
    assert "ACME QA" in (outcome.report_dir / "certificate.html").read_text()
    assert private.read_text() not in outcome.report_texts() + outcome.stdout + outcome.stderr

    verified = run_process("verify", str(outcome.report_dir), "--public-key", str(public))
    assert verified.code == 0 and verified.out.startswith("VALID"), verified.out
    text = summary.read_text()
    assert text.startswith("## Conformance run: CONFORMANT") and "version `1.4.0`" in text
    assert "recorded run #1 of 1.4.0" in text

    released = run_process("can-i-release", "--history", str(history), "--target-version", "1.4.0")
    assert released.code == 0 and "yes: 1.4.0 may go to production" in released.out, released.out
    with open_history(str(history)) as store:
        (run,) = store.runs()
    assert run.verdict == "CONFORMANT" and run.environment == "staging" and run.exit_code == 0
    assert run.verdicts()["REJ-001"] == "pass" and run.verdicts()["REJ-060"] == "pass"


def test_run_option_mistakes_are_one_line_exit_4_before_anything_runs(tmp_path):
    for args, needle in (
        (["--history", str(tmp_path / "h.sqlite3")], "--history needs --target-version"),
        (["--target-version", "1.0"], "give --history too"),
        (["--history", "mysql://db/h", "--target-version", "1"], "unsupported scheme"),
        (["--sign-key", str(tmp_path / "missing.key")], "cannot read the private key"),
        (["--signer", "me"], "give --sign-key too"),
    ):
        done = run_process("run", "--report-dir", str(tmp_path / "r"), *args)
        assert done.code == 4, (args, done.err)
        assert needle in done.err and "Traceback" not in done.err and len(done.err.strip().splitlines()) == 1
        assert "starting the bundled reference" not in done.out  # refused before the run
    unreachable = "postgresql://crux@127.0.0.1:1/h?connect_timeout=2"
    done = run_process("run", "--report-dir", str(tmp_path / "r"), "--history", unreachable, "--target-version", "1")
    assert done.code == 2 and "cannot connect to PostgreSQL" in done.err and "Traceback" not in done.err
    assert "starting the bundled reference" not in done.out


def _serve(env: dict[str, str], config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "conformance", "serve", "--port", "0", "--provider-states", "--write-config",
         str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env}, cwd=REPO_ROOT,
    )  # fmt: skip


def _banner(process: subprocess.Popen[str]) -> str:
    lines: list[str] = []
    timer = threading.Timer(BANNER_TIMEOUT_S, process.kill)
    timer.start()
    try:
        for line in process.stdout or []:
            lines.append(line)
            if "database:" in line:
                break
    finally:
        timer.cancel()
    return "".join(lines)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=STOP_TIMEOUT_S)


def test_reference_on_postgresql_judged_and_recorded_in_a_postgresql_history(tmp_path, new_postgres_database):
    import psycopg

    reference_db, history_db = new_postgres_database(), new_postgres_database()
    config = tmp_path / "reference.toml"
    server = _serve({"DATABASE_URL": reference_db}, config)
    try:
        banner = _banner(server)
        assert "database: postgresql from DATABASE_URL" in banner, banner
        base_url = tomllib.loads(config.read_text())["target"]["base_url"]
        outcome = run_conformance(
            REPO_ROOT, "--config", str(config), "--history", history_db, "--target-version", "2.0.0",
            "--", "-m", "not fuzz", report_dir=tmp_path / "reports",
        )  # fmt: skip
    finally:
        _stop(server)
    assert outcome.code == 0, outcome.stdout[-3000:] + outcome.stderr[-3000:]
    assert re.search(r"recorded run #1 of 2\.0\.0 in postgresql://", outcome.stdout), outcome.stdout[-2000:]
    with psycopg.connect(reference_db, connect_timeout=10) as connection:
        orders = connection.execute("SELECT COUNT(*) FROM reference_order").fetchone()[0]
    assert orders > 0  # the reference really kept its orders in PostgreSQL
    with open_history(history_db) as store:
        (run,) = store.runs()
    assert (run.target, run.target_version, run.verdict) == (base_url, "2.0.0", "INCOMPLETE")  # -m 'not fuzz'
    done = run_process("can-i-release", "--history", history_db, "--target-version", "2.0.0")
    assert done.code == 1, done.out
    assert "- latest run #1 2.0.0" in done.out and "is INCOMPLETE; not verified: REJ-060" in done.out
