"""One true line per unanswered request, in-process: the proxy's fault is named as the proxy's, secrets never shown,
and the transport keys resolve as curl's environment does."""

from __future__ import annotations

import socket

import pytest

from conformance.client import Client, NoAnswer
from conformance.config import Timeouts
from conformance.errors import TargetError, UsageError
from conformance.provisioning import StateUrlProvisioner
from conformance.redaction import Redactor
from conformance.transport import TransportSettings


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refusing_proxy_is_named_with_its_password_masked(relay):
    proxy = f"http://user:proxy-secret@127.0.0.1:{closed_port()}"
    client = Client(relay.base_url, {"supplier": "messages-token"}, Timeouts(2, 5), Redactor(["messages-token"]),
                    transport=TransportSettings(proxy=proxy))  # fmt: skip
    with pytest.raises(NoAnswer) as no_answer:
        client.request("GET", "/timp/orders/x/")
    reason = no_answer.value.reason
    assert reason.startswith("the proxy http://user:***@127.0.0.1:") and "refused the connection" in reason, reason
    assert "proxy-secret" not in str(no_answer.value) and relay.log.snapshot() == []


def test_provisioning_says_why_it_got_no_answer():
    url = f"http://127.0.0.1:{closed_port()}/__conformance__/provider-states"
    provisioner = StateUrlProvisioner(url, Timeouts(2, 5), Redactor())
    with pytest.raises(TargetError, match=r"got no answer: connection refused by 127\.0\.0\.1:\d+"):
        provisioner.order("a pending order cancellation")


def test_trust_follows_curl_order_and_config_wins(tmp_path):
    first, second = tmp_path / "a.pem", tmp_path / "b.pem"
    first.write_text("x")
    second.write_text("y")
    environ = {"SSL_CERT_FILE": str(second), "REQUESTS_CA_BUNDLE": str(first)}
    assert TransportSettings().trust(environ)[0] == str(first)
    assert TransportSettings().trust({"SSL_CERT_FILE": str(second)})[0] == str(second)
    assert TransportSettings(ca_bundle=str(second)).trust(environ)[0] == str(second)
    assert TransportSettings(verify=False).trust(environ)[0] is False
    assert TransportSettings().trust({})[0] is True
    with pytest.raises(UsageError, match=r"REQUESTS_CA_BUNDLE=.*no such CA bundle file"):
        TransportSettings().trust({"REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem")})


def test_proxies_follow_the_environment_and_no_proxy(monkeypatch):
    configured = TransportSettings(proxy="http://127.0.0.1:9999")
    assert configured.proxy_for("http://a.example/") == "http://127.0.0.1:9999"
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    settings = TransportSettings()
    assert settings.proxy_for("https://staging.example/x") == "http://127.0.0.1:3128"
    assert settings.proxy_for("http://staging.example/x") is None  # HTTP_PROXY is not set
    assert settings.proxies_for("https://internal.example/x") == {}
    assert configured.proxies_for("http://internal.example/") == {}
