"""Safety on shared environments: production targets are recognised and guarded; read-only runs touch no order.

No test here sends anything to a documented host: production is classified directly, and the end-to-end
guard runs against the reference on 127.0.0.1 configured as ``production = true``.
"""

from __future__ import annotations

import re

import pytest
import requests

from conformance.config import parse_config
from conformance.plugin import NOT_DESTRUCTIVE_REASON, PRODUCTION_REASON
from conformance.safety import is_production_url, production_hosts, production_hosts_in
from tests.realworld.conftest import with_base_url

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
GUARDED_MODEL_BUDGET = ("--model-examples", "5")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

SPEC_SERVERS = """
openapi: 3.0.3
servers:
- url: https://api-sandbox.example.com
  description: Sandbox
- url: https://api.example.com/v1
  description: Production (named in getting_started.md)
"""


def test_production_hosts_come_from_the_spec_servers():
    assert production_hosts_in(SPEC_SERVERS) == {"api.example.com"}
    assert production_hosts_in("not: [valid") == frozenset()
    assert "api.cruxconnect.com" in production_hosts()  # the generated spec's Production server
    assert "api-sandbox.cruxconnect.com" not in production_hosts()


@pytest.mark.parametrize(
    ("url", "production"),
    [
        ("https://api.cruxconnect.com", True),
        ("https://API.CruxConnect.com:443/", True),
        ("http://api.cruxconnect.com./timp", True),
        ("https://api-sandbox.cruxconnect.com", False),
        ("https://api-dev.cruxconnect.com", False),
        ("https://api.cruxconnect.com.example.org", False),
        ("http://127.0.0.1:8000", False),
        (None, False),
    ],
)
def test_host_classification(url, production):
    assert is_production_url(url) is production


def test_a_production_host_is_production_unless_the_config_says_otherwise():
    implicit = parse_config('[target]\nbase_url = "https://api.cruxconnect.com"\n', "p.toml")
    assert implicit.target.production and not implicit.target.may_change_state
    allowed = parse_config('[target]\nbase_url = "https://api.cruxconnect.com"\n', "p.toml", {"allow_production": True})
    assert allowed.target.may_change_state
    explicit = parse_config('[target]\nbase_url = "https://api.cruxconnect.com"\nproduction = false\n', "p.toml")
    assert not explicit.target.production and explicit.target.may_change_state
    local = parse_config('[target]\nbase_url = "http://127.0.0.1:8000"\n', "p.toml")
    assert not local.target.production and local.target.may_change_state
    overridden = parse_config('[target]\nbase_url = "http://127.0.0.1:8000"\n', "p.toml",
                              {"base_url": "https://api.cruxconnect.com"})  # fmt: skip
    assert overridden.target.production and not overridden.target.may_change_state


def _orders_named(reference, identifiers: set[str]) -> set[str]:
    """The identifiers that name an order any role of the reference can see."""
    named = set()
    with requests.Session() as http:
        for identifier in identifiers:
            for role in ("retailer", "supplier", "other_supplier"):
                answer = http.get(
                    f"{reference.base_url}/timp/orders/{identifier.lower()}/",
                    headers={"Authorization": f"Token {reference.credentials[role]}"},
                    timeout=10,
                )
                if answer.status_code != 404:
                    named.add(identifier)
    return named


def _assert_touched_no_order(reference, recording) -> int:
    seen = recording.snapshot()
    changing = [s for s in seen if s.method in STATE_CHANGING]
    assert not [s for s in changing if s.path in ("/timp/orders/create/", "/timp/orders/cancel/")], "provisioned"
    assert not [s for s in changing if 200 <= s.status < 300], "a state-changing request succeeded"
    identifiers = {match for s in changing for match in UUID.findall(requests.utils.unquote(s.path))}
    assert not _orders_named(reference, identifiers)
    return len(changing)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda text: text.replace("destructive = true", "destructive = false"), NOT_DESTRUCTIVE_REASON),
        (lambda text: text.replace("production = false", "production = true"), PRODUCTION_REASON),
    ],
    ids=["read-only", "production"],
)
def test_guarded_runs_provision_nothing_and_change_no_order(api_reference, proxy, run_cli, write_config, edit, reason):
    base_url, recording = proxy
    text = edit(with_base_url(api_reference.config_toml(), base_url))
    # Every stage runs, the fuzz stage included. A guarded model stage has no provisioner, so each of its scenarios
    # can only name orders that do not exist (conformance/checks/test_model.py): 5 scenarios of the default 20
    # send every kind of its requests through the proxy, the other 15 (most of the run's time) only more of them.
    outcome = run_cli("--config", str(write_config(text)), "--", *GUARDED_MODEL_BUDGET)
    assert outcome.code == 0, outcome.not_passed()
    skipped = {t["message"] for t in outcome.results["tests"] if t["outcome"] == "skipped"}
    assert skipped == {reason}, skipped
    changing = _assert_touched_no_order(api_reference, recording)
    print(f"{reason[:20]}…: {len(recording.snapshot())} requests, {changing} state-changing, none to an order")
    assert changing > 0  # REJ-020/021/023 and the fuzz stage did send PATCHes, to identifiers naming no order


def test_allow_production_lets_destructive_checks_run(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    text = with_base_url(api_reference.config_toml(), base_url).replace("production = false", "production = true")
    path = str(write_config(text))
    outcome = run_cli("--config", path, "--allow-production", "--", "-m", "not fuzz", "-k", "rej_001")
    assert outcome.code == 0 and {t["outcome"] for t in outcome.results["tests"]} == {"passed"}
    assert [s for s in recording.snapshot() if s.path == "/timp/orders/create/"], "an order was provisioned"


def test_a_read_only_state_url_run_sets_up_no_provider_state(run_cli, write_config):
    """The preflight used to set up one pending order even when the run could change nothing."""
    from conformance.reference import start_reference
    from tests.realworld.proxy import recording_proxy

    with start_reference(provider_states=True) as reference, recording_proxy(reference.base_url) as (url, recording):
        text = with_base_url(reference.config_toml(), url).replace("destructive = true", "destructive = false")
        text = text.replace(reference.base_url, url)  # state_url through the proxy too
        assert f'state_url = "{url}/' in text
        outcome = run_cli("--config", str(write_config(text)), "--", "-m", "not fuzz", "-k", "rej_001 or rej_020")
        assert outcome.code == 0, outcome.not_passed()
        assert {t["requirement"]: t["outcome"] for t in outcome.results["tests"]} == {
            "REJ-001": "skipped",
            "REJ-020": "passed",
        }
        assert recording.snapshot() and not [s for s in recording.snapshot() if "__conformance__" in s.path]
