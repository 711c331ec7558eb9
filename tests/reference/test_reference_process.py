"""The reference in its own process: it serves the contract over HTTP and never outlives its starter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
import requests

from conformance.config import parse_config
from conformance.errors import TargetError
from conformance.reference.process import start_reference_process

HTTP_TIMEOUT = 10
REJECT = "/timp/orders/cancel/{}/reject/"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


def test_it_serves_a_ready_config_and_stops_on_exit():
    with start_reference_process(provider_states=True) as reference:
        config = parse_config(reference.config_toml, "reference process", {})
        assert config.target.base_url == reference.base_url
        supplier = config.credentials.get("supplier")
        state = requests.post(
            config.provisioning.state_url,
            json={"action": "setup", "state": "a pending order cancellation", "params": {}},
            timeout=HTTP_TIMEOUT,
        )
        order = state.json()["order_uuid"]
        anonymous = requests.patch(reference.base_url + REJECT.format(order), timeout=HTTP_TIMEOUT)
        assert anonymous.status_code == 401
        rejected = requests.patch(
            reference.base_url + REJECT.format(order), headers={"Authorization": f"Token {supplier}"}, timeout=10
        )
        assert rejected.status_code == 200
        pid = reference.pid
    assert _gone_within(pid, 1.0), "the reference process outlived its with block"


def test_a_failing_body_still_stops_the_child():
    pid = None
    with pytest.raises(RuntimeError), start_reference_process() as reference:
        pid = reference.pid
        raise RuntimeError("a check blew up")
    assert pid is not None and _gone_within(pid, 1.0)


def test_a_child_that_cannot_start_is_one_line_with_exit_2(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nosuchscheme://nowhere/db")
    with pytest.raises(TargetError) as error, start_reference_process():
        pass
    message = error.value.message
    assert "exited with 4" in message and "DATABASE_URL is not usable" in message
    assert "\n" not in message and int(error.value.exit_code) == 2


def test_the_child_stops_when_its_starter_is_killed(tmp_path):
    """A run killed with SIGKILL runs no finally: the child must notice its stdin closing and stop itself."""
    pid_file = tmp_path / "pid"
    starter = textwrap.dedent(
        f"""
        import pathlib, time
        from conformance.reference.process import start_reference_process
        with start_reference_process() as reference:
            pathlib.Path({str(pid_file)!r}).write_text(str(reference.pid))
            time.sleep(120)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", starter])
    child = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not pid_file.exists() and process.poll() is None:
            time.sleep(0.1)
        assert pid_file.exists(), "the starter never reported its reference"
        child = int(pid_file.read_text())
        process.kill()
        process.wait(10)
        assert _gone_within(child, 10.0), "the reference survived its killed starter"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        if child is not None and _alive(child):
            os.kill(child, 9)
