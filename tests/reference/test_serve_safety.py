"""`crux-conformance serve` safety: inherited signal dispositions, the real bind address, provider-states secret,
private config files. Every started process is stopped in ``finally`` (``tests.processes.running``)."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests

from conformance.config import parse_config
from conformance.errors import TargetError
from conformance.provisioning import make_provisioner
from conformance.reference import start_reference
from conformance.reference.exposure import is_loopback
from conformance.state_secret import SECRET_ENVIRONMENT_VARIABLE, SECRET_HEADER
from tests.processes import banner_lines, running
from tests.reference.conftest import HTTP_TIMEOUT

SERVE = [sys.executable, "-m", "conformance", "serve", "--port", "0"]
STOP_BOUND_SECONDS = 15
PENDING = {"action": "setup", "state": "a pending order cancellation", "params": {}}
SECRET = "provider-states-s3cret-Zq9"


def _ignoring(*signals: int):
    """A ``preexec_fn`` that starts the child with ``signals`` ignored, as ``cmd &`` or ``nohup`` would."""

    def prepare() -> None:
        for number in signals:
            signal.signal(number, signal.SIG_IGN)

    return prepare


def _banner(process: subprocess.Popen, deadline_seconds: float = 60) -> str:
    return "\n".join(banner_lines(process, deadline_seconds=deadline_seconds))


def _serve(*args: str, env: dict[str, str] | None = None, ignore: tuple[int, ...] = ()):
    environment = {key: value for key, value in os.environ.items() if key != SECRET_ENVIRONMENT_VARIABLE}
    return running(
        [*SERVE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**environment, **(env or {})}, preexec_fn=_ignoring(*ignore),
    )  # fmt: skip


def _stopped_by(process: subprocess.Popen, sig: int) -> tuple[int, str]:
    process.send_signal(sig)
    try:
        _, stderr = process.communicate(timeout=STOP_BOUND_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve ignored {signal.Signals(sig).name}")
    return process.returncode, stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_on_a_signal_its_parent_left_ignored(sig):
    with _serve(ignore=(signal.SIGINT, signal.SIGTERM)) as process:
        assert "listening on" in _banner(process)
        code, stderr = _stopped_by(process, sig)
    assert code == 0, stderr
    assert "reference stopped" in stderr and "Traceback" not in stderr


def test_loopback_is_told_from_everything_else():
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.10", "staging.example", ""))


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_provider_states_on_a_network_host_without_a_secret_refuse_to_start(host):
    started = time.monotonic()
    done = subprocess.run(
        [*SERVE, "--host", host, "--provider-states"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != SECRET_ENVIRONMENT_VARIABLE},
    )
    assert done.returncode == 4, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("crux-conformance: error:") and "--provider-states-secret" in lines[0]
    assert SECRET_ENVIRONMENT_VARIABLE in lines[0] and host in lines[0]
    assert "listening" not in done.stdout
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_network_bind_prints_its_real_address_and_guards_provider_states(how, tmp_path: Path):
    config_file = tmp_path / "c.toml"
    args = ["--host", "0.0.0.0", "--provider-states", "--write-config", str(config_file)]
    env = {SECRET_ENVIRONMENT_VARIABLE: SECRET} if how == "environment" else {}
    if how == "flag":
        args += ["--provider-states-secret", SECRET]
    with _serve(*args, env=env) as process:
        banner = _banner(process)
        match = re.search(r"listening on http://0\.0\.0\.0:(\d+) \(from this machine: http://127\.0\.0\.1:\1\)", banner)
        assert match, banner
        assert SECRET_HEADER in banner
        state_url = f"http://127.0.0.1:{match.group(1)}/__conformance__/provider-states"
        refused = requests.post(state_url, json=PENDING, timeout=HTTP_TIMEOUT)
        wrong = requests.post(state_url, json=PENDING, headers={SECRET_HEADER: "guess"}, timeout=HTTP_TIMEOUT)
        created = requests.post(state_url, json=PENDING, headers={SECRET_HEADER: SECRET}, timeout=HTTP_TIMEOUT)
        code, stderr = _stopped_by(process, signal.SIGTERM)
    assert (refused.status_code, wrong.status_code, created.status_code) == (403, 403, 201)
    assert code == 0
    assert SECRET not in banner + stderr
    config = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert config["provisioning"]["state_secret"] == SECRET  # the ready config carries it, like the credentials


def test_write_config_is_private_even_over_an_existing_file(tmp_path: Path):
    fresh, existing = tmp_path / "fresh.toml", tmp_path / "existing.toml"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o644)
    for path in (fresh, existing):
        with _serve("--write-config", str(path)) as process:
            assert "listening on" in _banner(process)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
        assert "[credentials]" in path.read_text(encoding="utf-8")


def test_the_state_url_provisioner_sends_the_configured_secret(monkeypatch):
    monkeypatch.setenv("TEST_STATE_SECRET", SECRET)
    with start_reference(provider_states=True, provider_states_secret=SECRET) as ref:
        text = ref.config_toml().replace(f'state_secret = "{SECRET}"', 'state_secret = "env:TEST_STATE_SECRET"')
        assert "env:TEST_STATE_SECRET" in text
        config = parse_config(text, "test")
        assert SECRET in config.secrets and SECRET not in repr(config)
        assert len(make_provisioner(config).order("a pending order cancellation")) == 36
        without = parse_config(text.replace('state_secret = "env:TEST_STATE_SECRET"\n', ""), "test")
        with pytest.raises(TargetError, match="answered 403"):
            make_provisioner(without).order("a pending order cancellation")


@pytest.mark.parametrize("with_secret", [True, False])
def test_st_run_hooks_send_the_secret_from_the_environment(with_secret):
    script = (
        "from conformance.fuzz.hooks import configure_from_environment\n"
        "pool = configure_from_environment()\n"
        "try:\n    print('order', pool.take('a pending order cancellation', strict=True))\n"
        "except Exception as error:\n    print('refused', type(error).__name__, error)\n"
    )
    with start_reference(provider_states=True, provider_states_secret=SECRET) as ref:
        env = {key: value for key, value in os.environ.items() if not key.startswith("CRUX_")}
        env["CRUX_STATE_URL"] = ref.state_url
        if with_secret:
            env[SECRET_ENVIRONMENT_VARIABLE] = SECRET
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    if with_secret:
        assert re.fullmatch(r"order [0-9a-f-]{36}", done.stdout.strip()), done.stdout
    else:
        assert done.stdout.startswith("refused") and "answered 403" in done.stdout, done.stdout
    assert SECRET not in done.stdout + done.stderr
