"""The TOML config: env: values, overrides, and every bad config giving one line and exit 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.cli import main
from conformance.config import load_config, parse_config
from conformance.errors import UsageError

GOOD = """
[target]
base_url = "http://127.0.0.1:9"
destructive = false
[credentials]
supplier = "env:TEST_SUPPLIER_TOKEN"
retailer = "plain-retailer-secret"
[provisioning]
mode = "state-url"
state_url = "http://127.0.0.1:9/__conformance__/provider-states"
[timeouts]
connect = 1.5
read = 4
[checks]
concurrency = 4
[latency]
max_p95_ms = 250
"""


def test_good_config_resolves_env_values(monkeypatch):
    monkeypatch.setenv("TEST_SUPPLIER_TOKEN", "supplier-secret-value")
    config = parse_config(GOOD, "good.toml")
    assert config.credentials.get("supplier") == "supplier-secret-value"
    assert config.credentials.get("retailer") == "plain-retailer-secret"
    assert config.target.destructive is False
    assert config.timeouts.as_tuple() == (1.5, 4.0)
    assert config.concurrency == 4
    assert config.max_p95_ms == 250
    assert not config.target.may_change_state


def test_target_and_state_urls_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TEST_SUPPLIER_TOKEN", "x")
    monkeypatch.setenv("TEST_BASE_URL", "http://127.0.0.1:8123/")
    monkeypatch.setenv("TEST_STATE_URL", "http://127.0.0.1:8123/__states")
    text = GOOD.replace('"http://127.0.0.1:9"', '"env:TEST_BASE_URL"').replace(
        '"http://127.0.0.1:9/__conformance__/provider-states"', '"env:TEST_STATE_URL"'
    )
    config = parse_config(text, "good.toml")
    assert config.target.base_url == "http://127.0.0.1:8123"
    assert config.provisioning.state_url == "http://127.0.0.1:8123/__states"
    monkeypatch.delenv("TEST_STATE_URL")
    with pytest.raises(UsageError, match=r"provisioning\.state_url: environment variable TEST_STATE_URL is not set"):
        parse_config(text, "good.toml")


def test_repr_never_shows_secrets(monkeypatch):
    monkeypatch.setenv("TEST_SUPPLIER_TOKEN", "supplier-secret-value")
    config = parse_config(GOOD, "good.toml")
    assert "supplier-secret-value" not in repr(config)
    assert "plain-retailer-secret" not in repr(config)
    assert "supplier" in repr(config)


def test_command_line_overrides_the_file(monkeypatch):
    monkeypatch.setenv("TEST_SUPPLIER_TOKEN", "x")
    config = parse_config(GOOD + "\n", "good.toml", {"base_url": "http://127.0.0.1:8000/", "allow_production": True})
    assert config.target.base_url == "http://127.0.0.1:8000"
    assert config.target.allow_production


def test_static_lists_are_read():
    config = parse_config(
        '[provisioning]\nmode = "static"\n[provisioning.static]\npending = ["a", "b"]\nconfirmed = ["c"]\n', "s.toml"
    )
    assert config.provisioning.static == {"pending": ("a", "b"), "confirmed": ("c",)}


def test_production_refuses_destructive_unless_allowed():
    text = '[target]\nproduction = true\n'
    assert not parse_config(text, "p.toml").target.may_change_state
    assert parse_config(text, "p.toml", {"allow_production": True}).target.may_change_state


BAD_CONFIGS = {
    "bad-toml": ("[target\nbase_url = 1", "invalid TOML"),
    "unknown-section": ("[targets]\nbase_url = 'http://127.0.0.1:9'", "unknown section [targets]"),
    "unknown-key": ("[target]\nbase_url = 'http://127.0.0.1:9'\nbase_uri = 'x'", "unknown key 'base_uri'"),
    "unknown-role": ("[credentials]\nadmin = 'x'", "unknown key 'admin' in [credentials]"),
    "env-unset": ("[credentials]\nsupplier = 'env:CRUX_TEST_SURELY_UNSET_VARIABLE'",
                  "environment variable CRUX_TEST_SURELY_UNSET_VARIABLE is not set"),
    "unknown-mode": ("[provisioning]\nmode = 'magic'", "unknown provisioning mode 'magic'"),
    "api-mode-without-table": ("[provisioning]\nmode = 'api'", "provisioning mode 'api' needs a [provisioning.api]"),
    "bad-type": ("[target]\ndestructive = 'yes'", "target.destructive must be a bool"),
    "bad-url": ("[target]\nbase_url = 'ftp://example'", "must be an http(s) URL"),
    "static-key": ("[provisioning]\nmode = 'static'\n[provisioning.static]\npendng = []", "unknown key 'pendng'"),
    "missing-supplier": ("[target]\nbase_url = 'http://127.0.0.1:9'\n[credentials]\nretailer = 'x'",
                         "no `supplier` credential"),
    "missing-state-url": ("[target]\nbase_url = 'http://127.0.0.1:9'\n[credentials]\nsupplier = 'x'",
                          "needs [provisioning] state_url"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_bad_config_is_one_line_and_exit_4(name, write_config, capsys):
    text, expected = BAD_CONFIGS[name]
    path = write_config(text)
    code = main(["run", "--config", str(path)])
    captured = capsys.readouterr()
    assert code == 4
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert expected in lines[0]
    assert "Traceback" not in captured.err


def test_missing_config_file_is_exit_4(tmp_path, capsys):
    code = main(["run", "--config", str(tmp_path / "nope.toml")])
    err = capsys.readouterr().err.strip()
    assert code == 4
    assert err.count("\n") == 0 and "config file not found" in err


def test_base_url_without_credentials_is_exit_4(capsys):
    code = main(["run", "--base-url", "http://127.0.0.1:9"])
    assert code == 4
    assert "no `supplier` credential" in capsys.readouterr().err


def test_load_config_names_the_file(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text("[nope]\n")
    with pytest.raises(UsageError, match=str(path).replace(".", r"\.")):
        load_config(Path(path))


def test_static_orders_are_shared_out_between_parallel_workers():
    from conformance.provisioning import OrdersExhausted, make_provisioner
    from conformance.provisioning.states import PENDING

    config = parse_config(
        '[provisioning]\nmode = "static"\n[provisioning.static]\npending = ["a", "b", "c"]\n', "s.toml"
    )
    first, second = make_provisioner(config, (0, 2)), make_provisioner(config, (1, 2))
    taken = [first.order(PENDING), second.order(PENDING), first.order(PENDING)]
    assert sorted(taken) == ["a", "b", "c"]
    with pytest.raises(OrdersExhausted, match="no unused `pending` order left"):
        second.order(PENDING)
