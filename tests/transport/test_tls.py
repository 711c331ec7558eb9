"""Issue 13, TLS and proxies: a private CA (made here with ``cryptography``), mutual TLS, ``verify = false``,
a wrong CA, and a target reachable only through ``HTTPS_PROXY``; each a real ``crux-conformance run``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.transport.configs import write_target_config
from tests.transport.conftest import one_line
from tests.transport.relay import logging_proxy
from tests.transport.tls import Pki, make_pki, serve_tls_target

QUICK = ("--", "-k", "rej_020")
HIDDEN_HOST = "target.invalid"  # no resolver knows it: only the proxy can reach it


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"), ["127.0.0.1", "localhost", HIDDEN_HOST])


@pytest.fixture
def tls_target(pki: Pki) -> Iterator:
    with serve_tls_target(pki) as target:
        yield target


def assert_ran(outcome) -> None:
    assert outcome.code == 0, (outcome.stdout[-2000:], outcome.stderr)
    assert (outcome.report_dir / "certificate.json").is_file()
    assert outcome.outcomes() and set(outcome.outcomes().values()) == {"passed"}


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_the_environment_ca_bundle_is_honoured(run_cli, tmp_path, pki, tls_target, variable):
    config = write_target_config(tmp_path, tls_target)
    assert_ran(run_cli("--config", str(config), *QUICK, env={variable: str(pki.ca)}))


def test_config_ca_bundle_relative_to_the_config_file(run_cli, tmp_path, pki, tls_target):
    (tmp_path / "private-ca.pem").write_bytes(pki.ca.read_bytes())
    config = write_target_config(tmp_path, tls_target, ca_bundle="private-ca.pem")
    assert_ran(run_cli("--config", str(config), *QUICK))


def test_a_wrong_ca_is_one_line_naming_the_option_exit_2(run_cli, tmp_path, pki, tls_target):
    config = write_target_config(tmp_path, tls_target, ca_bundle=str(pki.other_ca))
    outcome = run_cli("--config", str(config), *QUICK)
    assert outcome.code == 2
    line = one_line(outcome.stderr)
    assert "TLS verification failed for 127.0.0.1:" in line and "[target] ca_bundle" in line, line
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_verify_false_runs_with_a_loud_warning_recorded_in_the_certificate(run_cli, tmp_path, tls_target):
    config = write_target_config(tmp_path, tls_target, verify=False)
    outcome = run_cli("--config", str(config), *QUICK)
    assert_ran(outcome)
    warnings = [line for line in outcome.stderr.splitlines() if "verification is OFF" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0], outcome.stderr
    assert "InsecureRequestWarning" not in outcome.stdout + outcome.stderr
    covers = json.loads((outcome.report_dir / "certificate.json").read_text())["covers"]
    assert covers["transport"]["tls_verification"].startswith("OFF")
    assert "OFF ([target] verify = false)" in (outcome.report_dir / "certificate.html").read_text()


def test_mutual_tls_with_client_cert_and_key(run_cli, tmp_path, pki):
    with serve_tls_target(pki, require_client_cert=True) as target:
        keys = {"ca_bundle": str(pki.ca), "client_cert": str(pki.client_cert), "client_key": str(pki.client_key)}
        assert_ran(run_cli("--config", str(write_target_config(tmp_path, target, **keys)), *QUICK))
        without = run_cli("--config", str(write_target_config(tmp_path, target, ca_bundle=str(pki.ca))), *QUICK)
    assert without.code == 2
    assert one_line(without.stderr).startswith("crux-conformance: error: target unreachable: https://127.0.0.1:")


def test_a_target_reachable_only_through_https_proxy(run_cli, tmp_path, pki):
    with serve_tls_target(pki, HIDDEN_HOST) as target, logging_proxy({HIDDEN_HOST: _port(target.base_url)}) as proxy:
        config = write_target_config(tmp_path, target)
        direct = run_cli("--config", str(config), *QUICK, env={"REQUESTS_CA_BUNDLE": str(pki.ca)})
        assert proxy.log.snapshot() == []
        proxied = run_cli(
            "--config", str(config), *QUICK, env={"REQUESTS_CA_BUNDLE": str(pki.ca), "HTTPS_PROXY": proxy.url}
        )
        tunnels = proxy.log.snapshot()
    assert direct.code == 2
    assert f"cannot resolve the host '{HIDDEN_HOST}' (DNS lookup failed)" in one_line(direct.stderr)
    assert_ran(proxied)
    assert tunnels and all(line.startswith(f"CONNECT {HIDDEN_HOST}:") for line in tunnels), tunnels


def _port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def test_a_config_proxy_is_used_and_no_proxy_bypasses_it(run_cli, tmp_path, pki):
    with serve_tls_target(pki, HIDDEN_HOST) as target, logging_proxy({HIDDEN_HOST: _port(target.base_url)}) as proxy:
        config = write_target_config(tmp_path, target, proxy=proxy.url, ca_bundle=str(pki.ca))
        assert_ran(run_cli("--config", str(config), *QUICK))
        used = len(proxy.log.snapshot())
        bypassed = run_cli("--config", str(config), *QUICK, env={"NO_PROXY": HIDDEN_HOST})
        assert len(proxy.log.snapshot()) == used
    assert used > 0
    assert bypassed.code == 2 and "cannot resolve the host" in one_line(bypassed.stderr)


def test_bad_transport_keys_are_exit_4_with_one_line(run_cli, tmp_path: Path, tls_target):
    cases = {
        "ca_bundle": ({"ca_bundle": "missing.pem"}, "target.ca_bundle: no such file"),
        "client_key": ({"client_key": str(tmp_path)}, "target.client_key needs target.client_cert"),
        "proxy": ({"proxy": "socks5://user:pw@127.0.0.1:1"}, "target.proxy must be an http:// or https://"),
        "max_body_bytes": ({"max_body_bytes": 10}, "target.max_body_bytes must be a whole number"),
        "verify": ({"verify": "no"}, "target.verify must be true or false"),
    }
    for name, (keys, expected) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        outcome = run_cli("--config", str(write_target_config(folder, tls_target, **keys)), *QUICK)
        assert outcome.code == 4, name
        line = one_line(outcome.stderr)
        assert expected in line and ":pw@" not in line, line
