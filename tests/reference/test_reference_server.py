"""Starting and stopping the reference: in-process (start_reference) and as `crux-conformance serve`."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests

from conformance.reference import start_reference
from conformance.reference.roles import ROLES
from conformance.reference.server import STOP_TIMEOUT_SECONDS
from tests.processes import banner_lines, running
from tests.reference.conftest import HTTP_TIMEOUT


def _port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_start_stop_repeatedly_on_free_ports():
    seen = []
    for _ in range(3):
        started = time.monotonic()
        with start_reference() as ref:
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", ref.base_url)
            assert ref.state_url is None
            assert set(ref.credentials) == set(ROLES)
            response = requests.patch(f"{ref.base_url}/timp/orders/cancel/{'0' * 8}-0000-4000-8000-{'0' * 12}/reject/",
                                      headers={"Authorization": f"Token {ref.credentials['supplier']}"},
                                      timeout=HTTP_TIMEOUT)
            assert response.status_code == 404
            seen.append((ref.port, dict(ref.credentials)))
        assert time.monotonic() - started < 2 * STOP_TIMEOUT_SECONDS
        assert _port_is_closed(seen[-1][0])
    assert all(creds == seen[0][1] for _, creds in seen)  # seeding is idempotent


def test_stop_is_bounded_with_an_open_keep_alive_connection():
    with start_reference() as ref, requests.Session() as session:
        assert session.get(f"{ref.base_url}/nowhere/", timeout=HTTP_TIMEOUT).status_code == 404
        started = time.monotonic()
        ref.stop()
        assert time.monotonic() - started < 2 * STOP_TIMEOUT_SECONDS
        with pytest.raises(requests.ConnectionError):
            session.get(f"{ref.base_url}/nowhere/", timeout=HTTP_TIMEOUT)


def test_stop_is_bounded_and_complete_when_the_wake_up_pipe_is_gone():
    """A write end closed under waitress's trigger (EBADF) must not fail the stop or leave the port open."""
    with start_reference() as ref:
        assert requests.get(f"{ref.base_url}/nowhere/", timeout=HTTP_TIMEOUT).status_code == 404
        ref._server.trigger.trigger = 1_000_000  # a number no process has open
        started = time.monotonic()
        ref.stop()
        assert time.monotonic() - started < 2 * STOP_TIMEOUT_SECONDS
        assert _port_is_closed(ref.port)
        ref.stop()  # a second stop (the block's own exit) is a no-op


def test_two_servers_at_once_decide_provider_states_each(reference):
    body = {"action": "setup", "state": "a pending order cancellation", "params": {}}
    with start_reference(provider_states=False) as plain:
        refused = requests.post(f"{plain.base_url}/__conformance__/provider-states", json=body, timeout=HTTP_TIMEOUT)
        assert refused.status_code == 404
        created = requests.post(reference.state_url, json=body, timeout=HTTP_TIMEOUT)
        assert created.status_code == 201
        # both serve the same database: the plain server sees the order made through the other one
        order = created.json()["order_uuid"]
        answer = requests.patch(f"{plain.base_url}/timp/orders/cancel/{order}/reject/", timeout=HTTP_TIMEOUT,
                                headers={"Authorization": f"Token {plain.credentials['supplier']}"})
        assert answer.status_code == 200


def test_config_toml_is_ready_for_run(reference):
    config = tomllib.loads(reference.config_toml())
    assert config["target"] == {"base_url": reference.base_url, "destructive": True, "production": False}
    assert config["credentials"] == reference.credentials
    assert config["provisioning"] == {"mode": "state-url", "state_url": reference.state_url}
    assert reference.state_url == f"{reference.base_url}/__conformance__/provider-states"


def test_config_toml_without_provider_states_uses_the_api():
    with start_reference() as ref:
        provisioning = tomllib.loads(ref.config_toml())["provisioning"]
    assert provisioning["mode"] == "api"
    assert provisioning["api"]["supplier_organization_uuid"] == "d6ac857d-c844-4312-8485-6d121d065308"


def test_repr_shows_no_secret(reference):
    assert not any(secret in repr(reference) for secret in reference.credentials.values())


# --- `crux-conformance serve` --------------------------------------------------------------------


def _serve(*args: str, env: dict[str, str] | None = None) -> contextlib.AbstractContextManager[subprocess.Popen]:
    """`serve` in a subprocess, stopped (and killed if need be) when the block ends, however it ends."""
    return running(
        [sys.executable, "-m", "conformance", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )


def _banner(process: subprocess.Popen, deadline_seconds: float = 30) -> list[str]:
    return banner_lines(process, deadline_seconds=deadline_seconds)


def _stop(process: subprocess.Popen, sig: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(sig)
    try:
        _, stderr = process.communicate(timeout=3 * STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("serve did not stop in time")
    return process.returncode, stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_where_it_listens_and_writes_config(tmp_path: Path, sig):
    config_file = tmp_path / "conformance.toml"
    with _serve("--provider-states", "--write-config", str(config_file)) as process:
        _check_serve_and_stop(process, config_file, sig)


def _check_serve_and_stop(process: subprocess.Popen, config_file: Path, sig: int) -> None:
    banner = _banner(process)
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", "\n".join(banner))
    assert match, banner
    config = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert config["target"]["base_url"] == match.group(1)
    assert set(config["credentials"]) == set(ROLES)
    assert not any(secret in "\n".join(banner) for secret in config["credentials"].values())
    created = requests.post(config["provisioning"]["state_url"], timeout=HTTP_TIMEOUT,
                            json={"action": "setup", "state": "a pending order cancellation", "params": {}})
    order = created.json()["order_uuid"]
    answer = requests.patch(f"{match.group(1)}/timp/orders/cancel/{order}/reject/", timeout=HTTP_TIMEOUT,
                            headers={"Authorization": f"Token {config['credentials']['supplier']}"})
    assert answer.status_code == 200
    code, stderr = _stop(process, sig)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert not any(secret in stderr for secret in config["credentials"].values())


def test_serve_with_database_url(tmp_path: Path):
    with _serve("--write-config", str(tmp_path / "c.toml"),
                env={"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}) as process:
        banner = _banner(process)
        assert any("listening on" in line for line in banner), banner
        assert (tmp_path / "shared.sqlite3").exists()
        assert _stop(process)[0] == 0


@pytest.mark.parametrize("args", [["--port", "70000"], ["--token-lifetime", "0"], ["--threads", "0"],
                                  ["--port", "nope"], ["--write-config", "/nonexistent-dir/x.toml"]])
def test_serve_bad_input_is_one_line_and_exit_4(args):
    done = subprocess.run([sys.executable, "-m", "conformance", "serve", *args], capture_output=True, text=True,
                          timeout=60, input="")
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("crux-conformance")


def test_serve_on_a_busy_port_is_exit_2():
    with start_reference() as ref:
        done = subprocess.run([sys.executable, "-m", "conformance", "serve", "--port", str(ref.port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "cannot listen" in done.stderr


@pytest.mark.parametrize(("url", "codes"), [("foo://x", {4}), ("postgres://user:secretpw@127.0.0.1:1/db", {2, 4}),
                                            ("sqlite:////nonexistent-dir/x.sqlite3", {2})])
def test_serve_with_an_unusable_database_is_one_line(url, codes):
    done = subprocess.run([sys.executable, "-m", "conformance", "serve", "--port", "0"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "DATABASE_URL": url})
    assert done.returncode in codes, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "secretpw" not in done.stderr + done.stdout


def test_two_serve_processes_share_one_database_url(tmp_path: Path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}
    configs = [tmp_path / "a.toml", tmp_path / "b.toml"]
    with contextlib.ExitStack() as stack:  # each process is stopped on its own, whatever happens to the other
        processes = [stack.enter_context(_serve("--provider-states", "--write-config", str(path), env=env))
                     for path in configs]
        banners = [_banner(process) for process in processes]
        assert all(any("listening on" in line for line in banner) for banner in banners), banners
        first, second = (tomllib.loads(path.read_text(encoding="utf-8")) for path in configs)
        assert first["credentials"] == second["credentials"]  # one seed, agreed on by both
        created = requests.post(first["provisioning"]["state_url"], timeout=HTTP_TIMEOUT,
                                json={"action": "setup", "state": "a pending order cancellation", "params": {}})
        order = created.json()["order_uuid"]
        url = f"{second['target']['base_url']}/timp/orders/cancel/{order}/reject/"
        session_only = requests.patch(url, cookies={"sessionid": second["credentials"]["session_id"]},
                                      timeout=HTTP_TIMEOUT)
        assert session_only.status_code == 403  # the session is valid in both processes; CSRF refuses it
        token = {"Authorization": f"Token {second['credentials']['supplier']}"}
        assert requests.patch(url, headers=token, timeout=HTTP_TIMEOUT).status_code == 200
        assert [_stop(process)[0] for process in processes] == [0, 0]
