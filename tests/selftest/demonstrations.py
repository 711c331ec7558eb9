"""For every fault, one direct HTTP probe that shows its deviation.

Each demonstration returns True when the target deviates as the fault says. The self-tests run
each one against its faulty target (must be True) and against the clean styles (must be False),
which proves the fault is real and that the probe is what tells them apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

from tests.selftest.client import (
    CONFIRMED,
    NO_REQUEST,
    PENDING,
    REJECTED,
    TargetClient,
    is_success,
    random_uuid,
    reject_path,
)

Demonstration = Callable[[TargetClient], bool]
DEMONSTRATIONS: dict[str, Demonstration] = {}


def demonstrates(fault: str) -> Callable[[Demonstration], Demonstration]:
    """Register a function as the demonstration of a fault."""

    def register(function: Demonstration) -> Demonstration:
        DEMONSTRATIONS[fault] = function
        return function

    return register


def _reject_pending(client: TargetClient):
    order = client.setup(PENDING)
    return order, client.reject(order)


@demonstrates("success-202")
def _success_202(client: TargetClient) -> bool:
    return _reject_pending(client)[1].status_code == 202


@demonstrates("success-200-text")
def _success_200_text(client: TargetClient) -> bool:
    response = _reject_pending(client)[1]
    return response.status_code == 200 and "json" not in response.headers.get("Content-Type", "")


@demonstrates("success-200-empty")
def _success_200_empty(client: TargetClient) -> bool:
    response = _reject_pending(client)[1]
    return response.status_code == 200 and response.content == b""


@demonstrates("reject-cancels-items")
def _reject_cancels_items(client: TargetClient) -> bool:
    order, response = _reject_pending(client)
    return is_success(response) and client.cancelled(order)


@demonstrates("reject-leaves-pending")
def _reject_leaves_pending(client: TargetClient) -> bool:
    order, response = _reject_pending(client)
    return is_success(response) and is_success(client.reject(order))


@demonstrates("confirm-accepts-rejected")
def _confirm_accepts_rejected(client: TargetClient) -> bool:
    return is_success(client.confirm(client.setup(REJECTED)))


@demonstrates("repeat-reject-2xx")
def _repeat_reject_2xx(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(REJECTED)))


@demonstrates("repeat-reject-409")
def _repeat_reject_409(client: TargetClient) -> bool:
    return client.reject(client.setup(REJECTED)).status_code == 409


@demonstrates("no-request-2xx")
def _no_request_2xx(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(NO_REQUEST)))


@demonstrates("confirmed-uncancelled")
def _confirmed_uncancelled(client: TargetClient) -> bool:
    order = client.setup(CONFIRMED)
    return is_success(client.reject(order)) and not client.cancelled(order)


@demonstrates("reject-race")
def _reject_race(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    responses = client.together([("reject", order)] * 8)
    return sum(is_success(response) for response in responses) > 1


@demonstrates("reject-confirm-race")
def _reject_confirm_race(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    responses = client.together([("confirm", order), ("reject", order)])
    return all(is_success(response) for response in responses)


@demonstrates("unknown-uuid-422")
def _unknown_uuid_422(client: TargetClient) -> bool:
    return client.reject(random_uuid()).status_code == 422


@demonstrates("malformed-id-403")
def _malformed_id_403(client: TargetClient) -> bool:
    return client.reject("not-a-uuid").status_code == 403


@demonstrates("malformed-nul-500")
def _malformed_nul_500(client: TargetClient) -> bool:
    return client.reject("%00").status_code == 500


@demonstrates("uppercase-400")
def _uppercase_400(client: TargetClient) -> bool:
    return client.reject(client.setup(PENDING).upper()).status_code == 400


@demonstrates("uppercase-500")
def _uppercase_500(client: TargetClient) -> bool:
    return client.reject(client.setup(PENDING).upper()).status_code == 500


@demonstrates("html-reflects-path")
def _html_reflects_path(client: TargetClient) -> bool:
    payload = "<script>alert(1)</script>"
    response = client.reject(payload)
    return "text/html" in response.headers.get("Content-Type", "") and payload in response.text


@demonstrates("html-404-reflects-path")
def _html_404_reflects_path(client: TargetClient) -> bool:
    payload = "<script>alert(1)</script>"
    response = client.reject(quote(payload, safe=""))
    return "text/html" in response.headers.get("Content-Type", "") and payload in response.text


@demonstrates("traceback-in-error")
def _traceback_in_error(client: TargetClient) -> bool:
    return "Traceback (most recent call last)" in client.reject("not-a-uuid").text


@demonstrates("anonymous-403")
def _anonymous_403(client: TargetClient) -> bool:
    return client.reject(client.setup(PENDING), role=None).status_code == 403


@demonstrates("unknown-token-403")
def _unknown_token_403(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return client.reject(order, role=None, headers={"Authorization": "Token 0123456789abcdef"}).status_code == 403


@demonstrates("malformed-auth-400")
def _malformed_auth_400(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return client.reject(order, role=None, headers={"Authorization": "Token a b"}).status_code == 400


@demonstrates("expired-token-accepted")
def _expired_token_accepted(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(PENDING), role="expired"))


@demonstrates("401-without-www-authenticate")
def _401_without_www_authenticate(client: TargetClient) -> bool:
    response = client.reject(client.setup(PENDING), role=None)
    return response.status_code == 401 and "WWW-Authenticate" not in response.headers


@demonstrates("expired-401-without-www-authenticate")
def _expired_401_without_www_authenticate(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    expired = client.reject(order, role="expired")
    anonymous = client.reject(order, role=None)
    return (
        expired.status_code == 401
        and "WWW-Authenticate" not in expired.headers
        and "WWW-Authenticate" in anonymous.headers
    )


@demonstrates("query-token-accepted")
def _query_token_accepted(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return is_success(client.reject(order, role=None, params={"token": client.target.credentials["supplier"]}))


@demonstrates("session-without-csrf-accepted")
def _session_without_csrf_accepted(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return is_success(client.reject(order, role=None, cookies={"sessionid": client.target.credentials["session_id"]}))


@demonstrates("refused-401-still-applies")
def _refused_401_still_applies(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    refused = client.reject(order, role=None).status_code == 401
    return refused and client.reject(order).status_code == 422


@demonstrates("retailer-409-still-applies")
def _retailer_409_still_applies(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    refused = client.reject(order, role="retailer").status_code == 409
    return refused and client.reject(order).status_code == 422


@demonstrates("retailer-403")
def _retailer_403(client: TargetClient) -> bool:
    return client.reject(client.setup(PENDING), role="retailer").status_code == 403


@demonstrates("no-permission-accepted")
def _no_permission_accepted(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(PENDING), role="supplier_no_permission"))


@demonstrates("other-org-accepted")
def _other_org_accepted(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(PENDING), role="other_supplier"))


@demonstrates("405-without-allow")
def _405_without_allow(client: TargetClient) -> bool:
    response = client.request("DELETE", reject_path(client.setup(PENDING)))
    return response.status_code == 405 and "Allow" not in response.headers


@demonstrates("get-answers-200")
def _get_answers_200(client: TargetClient) -> bool:
    return client.request("GET", reject_path(client.setup(PENDING))).status_code == 200


def _slashless(client: TargetClient):
    order = client.setup(PENDING)
    return order, client.request("PATCH", reject_path(order).rstrip("/"))


@demonstrates("slashless-redirect-wrong")
def _slashless_redirect_wrong(client: TargetClient) -> bool:
    order, response = _slashless(client)
    return response.status_code in (301, 308) and not response.headers["Location"].endswith(reject_path(order))


@demonstrates("slashless-500")
def _slashless_500(client: TargetClient) -> bool:
    return _slashless(client)[1].status_code == 500


@demonstrates("slashless-410")
def _slashless_410(client: TargetClient) -> bool:
    return _slashless(client)[1].status_code == 410


@demonstrates("json-body-415")
def _json_body_415(client: TargetClient) -> bool:
    return client.reject(client.setup(PENDING), json={}).status_code == 415


@demonstrates("error-json-not-json")
def _error_json_not_json(client: TargetClient) -> bool:
    response = client.reject(random_uuid())
    if "json" not in response.headers.get("Content-Type", ""):
        return False
    try:
        json.loads(response.content)
    except ValueError:
        return True
    return False


@demonstrates("405-body-not-json")
def _405_body_not_json(client: TargetClient) -> bool:
    response = client.request("PUT", reject_path(client.setup(PENDING)))
    return response.status_code == 405 and "json" in response.headers["Content-Type"] and not _parses(response.content)


def _parses(content: bytes) -> bool:
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


@demonstrates("error-without-content-type")
def _error_without_content_type(client: TargetClient) -> bool:
    response = client.reject(client.setup(REJECTED))
    return response.status_code == 422 and bool(response.content) and "Content-Type" not in response.headers

from tests.selftest import model_demonstrations as _model_demonstrations  # noqa: E402, F401 - registers the rest
