"""Provisioning mode ``api``: orders made through the documented create/cancel/confirm/reject calls."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from conformance.client import Client
from conformance.config import parse_config
from conformance.probes import order_state, settled_not_cancelled, still_cancelled, still_pending
from conformance.provisioning import ApiProvisioner, OrderUnavailable, make_provisioner
from conformance.provisioning.states import (
    CONFIRMED,
    OTHER_SUPPLIER_PENDING,
    PENDING,
    REJECTED,
    WITHOUT_CANCELLATION,
)
from conformance.recorder import Recorder
from tests.realworld.conftest import NOT_FUZZ, with_base_url

SERVE_START_TIMEOUT = 30.0
UUID_IN_PATH = re.compile(r"/timp/orders/(?:cancel/)?([0-9a-f-]{36})/")


def _detail(base_url: str, token: str, order_uuid: str) -> requests.Response:
    return requests.get(f"{base_url}/timp/orders/{order_uuid}/", headers={"Authorization": f"Token {token}"},
                        timeout=10)  # fmt: skip


def test_the_reference_without_provider_states_writes_a_ready_api_config(api_reference):
    config = parse_config(api_reference.config_toml(), "reference")
    config.require_runnable()
    assert config.provisioning.mode == "api" and config.provisioning.state_url is None
    api = config.provisioning.api
    assert api is not None and api.sku_id and api.po_number_prefix == "crux-conformance-"
    assert api.supplier_organization_uuid != api.other_supplier_organization_uuid
    assert isinstance(make_provisioner(config), ApiProvisioner)


@pytest.mark.parametrize(
    ("state", "probe"),
    [
        (PENDING, "pending"),
        (WITHOUT_CANCELLATION, "settled"),
        (REJECTED, "settled"),
        (CONFIRMED, "cancelled"),
        (OTHER_SUPPLIER_PENDING, "other-pending"),
    ],
)
def test_each_state_is_made_through_the_documented_calls(api_reference, state, probe):
    text = api_reference.config_toml().replace('po_number_prefix = "crux-conformance-"', 'po_number_prefix = "qa-7-"')
    config = parse_config(text, "reference")
    order = make_provisioner(config).order(state)
    client = Client.from_config(config, Recorder())
    verdict = {
        "pending": lambda: still_pending(client, order),
        "settled": lambda: settled_not_cancelled(client, order),
        "cancelled": lambda: still_cancelled(client, order),
        "other-pending": lambda: still_pending(client, order, role="other_supplier"),
    }[probe]()
    assert verdict, verdict.message()
    detail = _detail(api_reference.base_url, api_reference.credentials["retailer"], order)
    assert detail.status_code == 200 and detail.json()["po_number"].startswith("qa-7-")
    if state == OTHER_SUPPLIER_PENDING:  # owned by the other organization: our supplier cannot see it
        assert order_state(client, order).statuses is None


def test_orders_get_distinct_po_numbers_with_the_prefix(api_reference):
    config = parse_config(api_reference.config_toml(), "reference")
    first, second = make_provisioner(config), make_provisioner(config)  # as the preflight's and the checks'
    numbers = {provisioner.po_number() for _ in range(25) for provisioner in (first, second)}
    assert len(numbers) == 50 and all(number.startswith("crux-conformance-") for number in numbers)


def test_no_other_supplier_organization_means_that_state_is_not_verified(api_reference):
    text = re.sub(r"other_supplier_organization_uuid = .*\n", "", api_reference.config_toml())
    text = re.sub(r"other_supplier = .*\n", "", text)
    config = parse_config(text, "reference")
    config.require_runnable()
    with pytest.raises(OrderUnavailable, match="other_supplier_organization_uuid"):
        make_provisioner(config).order(OTHER_SUPPLIER_PENDING)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: re.sub(r"retailer = .*\n", "", t), "provisioning mode 'api' needs a `retailer` credential"),
        (lambda t: re.sub(r"other_supplier_organization_uuid = .*\n", "", t), "needs [provisioning.api] other_"),
        (lambda t: re.sub(r"sku_id = .*\n", "", t), "[provisioning.api] needs sku_id"),
        (lambda t: t.replace('supplier_organization_uuid = "d6', 'supplier_organization_uuid = "zz'), "must be a UUID"),
        (lambda t: t + 'colour = "red"\n', "unknown key 'colour' in [provisioning.api]"),
    ],
)
def test_api_mode_config_errors_are_one_line_and_exit_4(api_reference, run_cli, write_config, edit, message):
    outcome = run_cli("--config", str(write_config(edit(api_reference.config_toml()))), *NOT_FUZZ)
    assert outcome.code == 4, outcome.stdout[-2000:] + outcome.stderr
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], outcome.stderr


def test_a_create_order_the_target_refuses_stops_the_run_with_exit_2(api_reference, run_cli, write_config):
    text = api_reference.config_toml().replace('"d6ac857d-c844-4312-8485-6d121d065308"', f'"{uuid.uuid4()}"')
    outcome = run_cli("--config", str(write_config(text)), *NOT_FUZZ, "-k", "rej_001")
    assert outcome.code == 2, outcome.stdout[-2000:]
    last = outcome.stderr.strip().splitlines()[-1]
    assert "provisioning failed for state 'a pending order cancellation': POST /timp/orders/create/" in last
    assert "answered 400" in last
    for secret in api_reference.credentials.values():
        assert secret not in outcome.stdout + outcome.stderr


def test_serve_write_config_then_run_in_api_mode_is_conformant(tmp_path, run_cli, proxy):
    """End to end as QA would: `serve --write-config` (no provider states), then `run --config` (fuzz too)."""
    config_file = tmp_path / "serve.toml"
    serve = subprocess.Popen(
        [sys.executable, "-m", "conformance", "serve", "--port", "0", "--write-config", str(config_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=dict(os.environ),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + SERVE_START_TIMEOUT
        killer = threading.Timer(SERVE_START_TIMEOUT, serve.kill)  # readline blocks: a silent serve must not hang us
        killer.start()
        line = ""
        while "listening on" not in line and time.monotonic() < deadline and serve.poll() is None:
            line = serve.stdout.readline() if serve.stdout else ""
        killer.cancel()
        assert "listening on" in line, "serve did not start"
        assert 'mode = "api"' in config_file.read_text()
        # Every stage, with 5 model scenarios of the default 20: each provisions its orders through the same
        # documented calls, so the other 15 (~6 s of API-mode set-up) would prove nothing more here.
        outcome = run_cli("--config", str(config_file), "--", "--model-examples", "5")
        assert outcome.code == 0, outcome.stdout[-3000:] + outcome.stderr[-2000:]
        assert outcome.not_passed() == [], outcome.not_passed()
        assert "CONFORMANT" in outcome.stdout
        base_url = re.search(r'base_url = "([^"]+)"', config_file.read_text()).group(1)
        retailer = re.search(r'retailer = "([^"]+)"', config_file.read_text()).group(1)
        exchanges = (outcome.report_dir / "exchanges.jsonl").read_text()
        orders = set(UUID_IN_PATH.findall(exchanges))
        numbers = [_detail(base_url, retailer, order) for order in sorted(orders)[:20]]
        found = [answer.json()["po_number"] for answer in numbers if answer.status_code == 200]
        assert found and all(number.startswith("crux-conformance-") for number in found), found
        shown = (
            outcome.stdout
            + outcome.stderr
            + "".join(path.read_text(errors="replace") for path in outcome.report_dir.iterdir() if path.is_file())
        )
        for role, secret in re.findall(r'^(\w+) = "([^"]+)"$', config_file.read_text(), re.MULTILINE):
            if role in ("supplier", "supplier_no_permission", "other_supplier", "retailer", "expired", "session_id"):
                assert secret not in shown, f"the {role} secret leaked"
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(10)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(5)


def test_api_mode_reaches_the_target_only_through_documented_calls(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    every_state = "rej_010 or rej_011 or rej_012 or rej_042"  # pending, rejected, without, confirmed, other's
    path = str(write_config(with_base_url(api_reference.config_toml(), base_url)))
    outcome = run_cli("--config", path, *NOT_FUZZ, "-k", every_state)
    assert outcome.code == 0 and len(outcome.results["tests"]) >= 5, outcome.not_passed()
    seen = recording.snapshot()
    creates = [s for s in seen if s.method == "POST" and s.path == "/timp/orders/create/"]
    cancels = [s for s in seen if s.method == "PATCH" and s.path == "/timp/orders/cancel/"]
    assert creates and all(s.status == 201 for s in creates)
    assert cancels and all(s.status == 200 for s in cancels)
    assert not [s for s in seen if "__conformance__" in s.path], "api mode must not use a provider-states endpoint"
    orders = json.loads((outcome.report_dir / "orders.json").read_text())  # what the run made, for clean-up
    assert len(orders) == len(creates) and all(order["po_number"].startswith("crux-conformance-") for order in orders)
    assert {order["state"] for order in orders} >= {PENDING, REJECTED, CONFIRMED, WITHOUT_CANCELLATION}
    assert Path(outcome.report_dir / "traffic.json").is_file()
    # Every request, provisioning's included, went through the run's limiter (the fuzz stage's: test_ratelimit).
    assert outcome.traffic["requests_sent"] == len(seen), (outcome.traffic["requests_sent"], len(seen))
