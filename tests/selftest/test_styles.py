"""The conformant styles behave as the contract requires, each making its own open choices."""

from __future__ import annotations

import pytest

from tests.selftest.client import (
    CONFIRMED,
    NO_REQUEST,
    OTHER_PENDING,
    PENDING,
    REJECTED,
    TargetClient,
    is_success,
    random_uuid,
    reject_path,
)
from tests.targets import STYLES, serve_target

DOCUMENTED = {200, 201, 204, 301, 308, 400, 401, 403, 404, 405, 409, 414, 415, 422, 429}


@pytest.fixture(params=sorted(STYLES))
def client(request):
    with serve_target(style=request.param) as target:
        yield TargetClient(target)


@pytest.fixture
def json_client():
    with serve_target(style="json") as target:
        yield TargetClient(target)


@pytest.fixture
def strict_client():
    with serve_target(style="strict") as target:
        yield TargetClient(target)


def _still_pending(client: TargetClient, order: str) -> bool:
    return not client.cancelled(order) and is_success(client.reject(order))


def test_reject_succeeds_once_and_leaves_the_order_uncancelled(client):
    order = client.setup(PENDING)
    first = client.reject(order)
    assert first.status_code in (200, 204)
    if first.status_code == 200:
        assert first.headers["Content-Type"].startswith("application/json")
        assert first.json()["order_uuid"] == order
    else:
        assert first.content == b""
    assert not client.cancelled(order)
    assert client.confirm(order).status_code == 422
    assert client.reject(order).status_code == 422
    assert not client.cancelled(order)


@pytest.mark.parametrize("state", [NO_REQUEST, REJECTED, CONFIRMED])
def test_reject_of_a_cancellation_that_is_not_pending_answers_422(client, state):
    order = client.setup(state)
    before = client.cancelled(order)
    assert client.reject(order).status_code == 422
    assert client.cancelled(order) == before == (state == CONFIRMED)


def test_concurrent_rejects_have_exactly_one_winner(client):
    order = client.setup(PENDING)
    statuses = sorted(response.status_code for response in client.together([("reject", order)] * 8))
    assert sum(200 <= status < 300 for status in statuses) == 1
    assert statuses.count(422) == 7


def test_a_concurrent_reject_and_confirm_have_one_winner_and_its_state(client):
    for _ in range(3):
        order = client.setup(PENDING)
        confirm, reject = client.together([("confirm", order), ("reject", order)])
        assert sorted([is_success(confirm), is_success(reject)]) == [False, True]
        assert 422 in (confirm.status_code, reject.status_code)
        assert client.cancelled(order) == is_success(confirm)


def test_unknown_uuid_answers_404(client):
    assert client.reject(random_uuid()).status_code == 404


@pytest.mark.parametrize(
    "identifier",
    ["not-a-uuid", "%00", "%2F", "..%2F..", "{x}", "urn:uuid:" + "0" * 32, "' OR 1=1 --", "{{7*7}}", "a" * 4096],
)
def test_malformed_identifiers_are_refused_without_reflection(client, identifier):
    response = client.reject(identifier)
    assert response.status_code in (400, 404, 422, 414)
    assert "Traceback" not in response.text


def test_the_uppercase_uuid_answers_2xx_or_404(client):
    assert client.reject(client.setup(PENDING).upper()).status_code in (200, 204, 404)


def test_a_script_payload_is_never_reflected(client):
    payload = "<script>alert(1)</script>"
    for path in (reject_path(payload), f"/{payload}"):
        assert payload not in client.request("PATCH", path).text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Token"},
        {"Authorization": "Token a b"},
        {"Authorization": "Bearer x"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": ""},
        {"Authorization": "Token unknown"},
    ],
)
def test_missing_bad_and_unknown_credentials_answer_401_with_www_authenticate(client, headers):
    order = client.setup(PENDING)
    response = client.reject(order, role=None, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert _still_pending(client, order)


def test_the_expired_token_answers_401(client):
    order = client.setup(PENDING)
    assert client.reject(order, role="expired").status_code == 401
    assert _still_pending(client, order)


@pytest.mark.parametrize("name", ["token", "auth_token", "access_token", "key"])
def test_a_query_string_token_is_ignored(client, name):
    order = client.setup(PENDING)
    response = client.reject(order, role=None, params={name: client.target.credentials["supplier"]})
    assert response.status_code == 401
    assert _still_pending(client, order)


def test_a_session_cookie_without_csrf_is_refused(client):
    order = client.setup(PENDING)
    response = client.reject(order, role=None, cookies={"sessionid": client.target.credentials["session_id"]})
    assert response.status_code in (401, 403)
    assert _still_pending(client, order)


@pytest.mark.parametrize(
    ("role", "allowed"), [("retailer", {409}), ("supplier_no_permission", {403}), ("other_supplier", {403, 404})]
)
def test_the_wrong_requester_is_refused_and_changes_nothing(client, role, allowed):
    order = client.setup(PENDING)
    assert client.reject(order, role=role).status_code in allowed
    assert _still_pending(client, order)


def test_the_supplier_cannot_reject_another_suppliers_order(client):
    order = client.setup(OTHER_PENDING)
    assert client.reject(order).status_code in (403, 404)
    assert is_success(client.reject(order, role="other_supplier"))


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_other_methods_answer_405_with_allow(client, method):
    order = client.setup(PENDING)
    response = client.request(method, reject_path(order))
    assert response.status_code == 405
    assert "PATCH" in response.headers["Allow"]
    assert _still_pending(client, order)


def test_the_slashless_url_redirects_to_the_slashed_one(client):
    order = client.setup(PENDING)
    response = client.request("PATCH", reject_path(order).rstrip("/"))
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == reject_path(order)


def test_a_json_body_is_ignored(client):
    assert client.reject(client.setup(PENDING), json={}).status_code in (200, 204)


def test_every_answer_has_a_documented_status_and_a_typed_body(client):
    order = client.setup(PENDING)
    responses = [
        client.reject(order),
        client.reject(order),
        client.reject(random_uuid()),
        client.reject("nope"),
        client.reject(order, role=None),
        client.request("GET", reject_path(order)),
        client.request("GET", "/nowhere"),
    ]
    for response in responses:
        assert response.status_code in DOCUMENTED
        if response.content:
            assert response.headers.get("Content-Type")


def test_unknown_provider_state_answers_400(client):
    response = client.session.post(client.target.state_url, json={"action": "setup", "state": "nope"}, timeout=5)
    assert response.status_code == 400
    assert "a pending order cancellation" in response.text


def test_the_json_style_makes_its_choices(json_client):
    order = json_client.setup(PENDING)
    assert json_client.reject("nope").status_code == 400
    assert json_client.reject(order, role="other_supplier").status_code == 404
    assert json_client.request("PATCH", reject_path(order).rstrip("/")).status_code == 301
    not_found = json_client.request("GET", "/nowhere")
    assert not_found.status_code == 404 and not_found.json()
    assert json_client.reject("nope", role=None).status_code == 401  # auth before the identifier
    assert json_client.reject(order.upper()).status_code == 200
    assert json_client.reject(order).status_code == 422  # the uppercase form named the same order


def test_the_strict_style_makes_its_choices(strict_client):
    order = strict_client.setup(PENDING)
    assert strict_client.reject("nope").status_code == 422
    assert strict_client.reject(order, role="other_supplier").status_code == 403
    assert strict_client.request("PATCH", reject_path(order).rstrip("/")).status_code == 308
    not_found = strict_client.request("GET", "/nowhere")
    assert not_found.status_code == 404 and not_found.headers["Content-Type"].startswith("text/html")
    assert strict_client.reject("nope", role=None).status_code == 401
    assert strict_client.reject(order.upper()).status_code == 404
    success = strict_client.reject(order)
    assert success.status_code == 204 and success.content == b""


def test_config_toml_describes_the_target(client):
    import tomllib

    config = tomllib.loads(client.target.config_toml())
    assert config["target"]["base_url"] == client.target.base_url
    same_credentials = config["credentials"] == client.target.credentials  # compared apart: never print secrets
    assert same_credentials, "config_toml() does not carry the target's credentials"
    assert config["provisioning"] == {"mode": "state-url", "state_url": client.target.state_url}
    assert client.target.credentials["supplier"] not in repr(client.target)
