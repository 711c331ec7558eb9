"""Issue 13, errors that tell the truth and bounded memory: DNS failure, connection refused, non-HTTP bytes,
and a target answering 50 MB bodies, each a real ``crux-conformance run`` in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from conformance.config_writer import render_config
from tests.cli_runs import RUN_TIMEOUT
from tests.transport.configs import write_target_config
from tests.transport.conftest import clean_environment, one_line
from tests.transport.hostile import HUGE_BYTES, serve_garbage, serve_huge_target

QUICK = ("--", "-k", "rej_020")
RSS_LIMIT_KB = 300 * 1024
#: Runs the command given after it and prints the peak RSS (KiB) of it and its children on the last stderr line.
MEASURE = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def unreachable_config(folder: Path, base_url: str) -> Path:
    path = folder / "conformance.toml"
    state = {"mode": "state-url", "state_url": base_url + "/__conformance__/provider-states"}
    path.write_text(render_config(base_url, {"supplier": "unreachable-token"}, state), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


def assert_cannot_judge(outcome, expected: str) -> None:
    assert outcome.code == 2, (outcome.stdout[-1500:], outcome.stderr)
    line = one_line(outcome.stderr)
    assert line.startswith("crux-conformance: error: target unreachable: ") and expected in line, line
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert "unreachable-token" not in outcome.stdout + outcome.stderr


def test_dns_failure(run_cli, tmp_path):
    outcome = run_cli("--config", str(unreachable_config(tmp_path, "http://nowhere.invalid")), *QUICK)
    assert_cannot_judge(outcome, "cannot resolve the host 'nowhere.invalid' (DNS lookup failed)")


def test_connection_refused(run_cli, tmp_path):
    port = free_port()
    outcome = run_cli("--config", str(unreachable_config(tmp_path, f"http://127.0.0.1:{port}")), *QUICK)
    assert_cannot_judge(outcome, f"connection refused by 127.0.0.1:{port}")


def test_non_http_answer(run_cli, tmp_path):
    with serve_garbage() as base_url:
        outcome = run_cli("--config", str(unreachable_config(tmp_path, base_url)), *QUICK)
    assert_cannot_judge(outcome, "answered something that is not HTTP ('SSH-2.0-OpenSSH_9.6")


def test_tls_to_a_plain_http_port(run_cli, tmp_path):
    with serve_garbage() as base_url:
        outcome = run_cli("--config", str(unreachable_config(tmp_path, base_url.replace("http:", "https:"))), *QUICK)
    assert_cannot_judge(outcome, "TLS handshake with 127.0.0.1:")


#: Hypothesis builds its Unicode tables once per storage folder (~165 MB, whatever the target): done beforehand.
WARM_HYPOTHESIS = (
    "from hypothesis.internal.charmap import charmap, intervals_from_codec; charmap(); intervals_from_codec('utf-8')"
)


def test_50_mb_bodies_finish_with_reports_under_300_mb(tmp_path):
    report_dir = tmp_path / "reports"
    env = {**os.environ, **clean_environment(), "HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / ".hypothesis")}
    subprocess.run([sys.executable, "-c", WARM_HYPOTHESIS], env=env, timeout=RUN_TIMEOUT, check=True)
    with serve_huge_target() as target:
        config = write_target_config(tmp_path, target)
        command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "conformance", "run",
                   "--config", str(config), "--report-dir", str(report_dir)]  # fmt: skip
        completed = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT * 2, cwd=tmp_path,
                                   env=env)  # fmt: skip
    peak_kb = int(completed.stderr.strip().splitlines()[-1].split()[-1])
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    assert peak_kb < RSS_LIMIT_KB, f"peak RSS {peak_kb} KiB"
    for name in ("certificate.json", "certificate.html", "report.html", "junit.xml", "results.json", "exchanges.jsonl"):
        assert (report_dir / name).is_file(), name
    records = [json.loads(line) for line in (report_dir / "exchanges.jsonl").read_text().splitlines()]
    cut = [record for record in records if record["body_cut"]]
    assert cut and all(record["body_bytes"] > HUGE_BYTES for record in cut)
    results = json.loads((report_dir / "results.json").read_text())["tests"]
    messages = [test["message"] for test in results]
    assert not any("not JSON" in message or "JSON parse" in message for message in messages)
    rej_053 = [test for test in results if test["requirement"] == "REJ-053"]
    assert rej_053 and rej_053[0]["outcome"] == "skipped" and "cut short" in rej_053[0]["message"], rej_053
