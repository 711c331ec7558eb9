"""Exit-code hygiene: every bad URL and an unwritable report folder are exit 4 with one line before any request;
an unexpected error is exit 2 with one line and a debug log, never a traceback unless --debug asks for one."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli
from conformance.commands import run as run_command
from tests.targets.counting import counting_server

BAD_URLS = [
    ("http://[::1", "not a valid URL"),
    ("http://127.0.0.1:99999", "port must be a number between 1 and 65535"),
    ("http://127.0.0.1:0", "port must be a number between 1 and 65535"),
    ("http://127.0.0.1:http", "port must be a number between 1 and 65535"),
    ("127.0.0.1:8000", "must be an http(s) URL"),
    ("staging.example.internal", "must be an http(s) URL"),
    ("http://", "must be an http(s) URL"),
    ("http://127.0.0.1:", "has a ':' but no port"),
    ("http://[not-v6]:80", "not"),
    ("http://exa mple.internal", "whitespace"),
    ("http://127.0.0.1:8000/?token=abc", "query"),
]


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("crux-conformance: error:"), lines[0]
    return lines[0]


@pytest.mark.parametrize(("url", "reason"), BAD_URLS)
def test_a_bad_base_url_flag_is_exit_4_with_one_line(url, reason, capsys):
    assert cli.main(["run", "--base-url", url, "--report-dir", "unused"]) == 4
    line = _one_error_line(capsys.readouterr().err)
    assert "--base-url" in line and reason in line


@pytest.mark.parametrize(("key", "url"), [("base_url", "http://[::1"), ("state_url", "http://127.0.0.1:99999/s")])
def test_a_bad_url_in_the_config_file_is_exit_4_naming_file_and_key(key, url, write_config, tmp_path):
    target = url if key == "base_url" else "http://127.0.0.1:9"
    state = url if key == "state_url" else "http://127.0.0.1:9/s"
    path = write_config(
        f'[target]\nbase_url = "{target}"\n[credentials]\nsupplier = "t"\n[provisioning]\nstate_url = "{state}"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 4, done.stderr
    line = _one_error_line(done.stderr)
    assert str(path) in line and key in line


def test_a_password_in_a_bad_url_is_masked_in_the_error(capsys):
    assert cli.main(["run", "--base-url", "http://qa:hunter2-Secret@127.0.0.1:99999"]) == 4
    line = _one_error_line(capsys.readouterr().err)
    assert "hunter2-Secret" not in line and "qa:***@" in line


@pytest.mark.parametrize("folder", ["/proc", "file"])
def test_an_unwritable_report_dir_is_exit_4_before_any_request(folder, tmp_path, write_config):
    report_dir = Path(folder) if folder.startswith("/") else tmp_path / "a-file"
    report_dir.touch() if not folder.startswith("/") else None
    with counting_server() as (base_url, seen):
        path = write_config(
            f'[target]\nbase_url = "{base_url}"\n[credentials]\nsupplier = "tok-Abc123"\n'
            f'[provisioning]\nstate_url = "{base_url}/__conformance__/provider-states"\n'
        )
        done = subprocess.run(
            [sys.executable, "-m", "conformance", "run", "--config", str(path), "--report-dir", str(report_dir)],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 4, done.stderr
        line = _one_error_line(done.stderr)
        assert f"--report-dir {report_dir}" in line
        assert seen == [], seen  # not one request reached the target


def test_an_unexpected_error_is_exit_2_with_one_line_and_a_private_debug_log(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("something nobody foresaw at https://qa:pw-Hidden9@staging.example")

    monkeypatch.setattr(run_command, "execute", broken)
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "internal error (RuntimeError: something nobody foresaw" in lines[0] and "--debug" in lines[0]
    assert "pw-Hidden9" not in err
    log = Path(lines[0].split("details in ", 1)[1].split(";", 1)[0])
    try:
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        text = log.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" in text and "RuntimeError" in text
        assert "pw-Hidden9" not in text
    finally:
        log.unlink()


@pytest.mark.parametrize("where", [["--debug", "run"], ["run", "--debug"]])
def test_debug_shows_the_traceback(where, monkeypatch):
    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(run_command, "execute", broken)
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(where)
