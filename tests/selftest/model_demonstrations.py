"""Direct HTTP demonstrations of the faults only the model stage finds (``MODEL_FAULTS``).

Registered into ``demonstrations.DEMONSTRATIONS`` like the others: each returns True when the target
deviates as the fault says, and the self-tests run each against its faulty target (True) and every clean
style (False).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import requests

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
from tests.selftest.demonstrations import demonstrates

JSON = {"Content-Type": "application/json"}
RACE_TRIES = 3


def _still_pending(client: TargetClient, order: str) -> bool:
    return not client.cancelled(order) and is_success(client.reject(order))


@demonstrates("no-permission-after-state")
def _no_permission_after_state(client: TargetClient) -> bool:
    return client.reject(client.setup(REJECTED), role="supplier_no_permission").status_code == 422


@demonstrates("retailer-after-state")
def _retailer_after_state(client: TargetClient) -> bool:
    return client.reject(client.setup(CONFIRMED), role="retailer").status_code == 422


@demonstrates("unknown-token-after-state")
def _unknown_token_after_state(client: TargetClient) -> bool:
    headers = {"Authorization": f"Token {random_uuid().replace('-', '')}"}
    return client.reject(client.setup(NO_REQUEST), role=None, headers=headers).status_code == 422


@demonstrates("token-extra-words-accepted")
def _token_extra_words_accepted(client: TargetClient) -> bool:
    headers = {"Authorization": f"Token {client.target.credentials['supplier']} extra"}
    return is_success(client.reject(client.setup(PENDING), role=None, headers=headers))


@demonstrates("lenient-uuid-parse")
def _lenient_uuid_parse(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return is_success(client.reject(quote("{" + order + "}", safe="")))


@demonstrates("whitespace-trimmed")
def _whitespace_trimmed(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return is_success(client.reject(quote(" " + order, safe="")))


@demonstrates("trailing-junk-ignored")
def _trailing_junk_ignored(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    return is_success(client.reject(order + "."))


@demonstrates("uppercase-repeat-2xx")
def _uppercase_repeat_2xx(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(REJECTED).upper()))


@demonstrates("unknown-fields-422")
def _unknown_fields_422(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    answer = client.reject(order, headers=JSON, data=b'{"note": "x"}')
    return answer.status_code == 422 and _still_pending(client, order)


@demonstrates("body-skips-repeat-check")
def _body_skips_repeat_check(client: TargetClient) -> bool:
    return is_success(client.reject(client.setup(REJECTED), headers=JSON, data=b"{}"))


@demonstrates("text-body-confirms")
def _text_body_confirms(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    answer = client.reject(order, headers={"Content-Type": "text/plain"}, data=b"reject")
    return not is_success(answer) and client.cancelled(order)


@demonstrates("other-method-reopens-rejected")
def _other_method_reopens_rejected(client: TargetClient) -> bool:
    order = client.setup(REJECTED)
    answer = client.request("DELETE", reject_path(order))
    return answer.status_code == 405 and is_success(client.reject(order))


@demonstrates("slashless-redirect-applies")
def _slashless_redirect_applies(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    answer = client.request("PATCH", reject_path(order).rstrip("/"))
    return answer.status_code in (301, 308) and client.reject(order).status_code == 422


def _together(client: TargetClient, calls: list[dict[str, object]]) -> list[requests.Response]:
    """Send PATCH requests (path and extra arguments each) at once, released by one bounded barrier."""
    barrier = threading.Barrier(len(calls))

    def send(call: dict[str, object]) -> requests.Response:
        session = requests.Session()
        session.get(client.target.base_url + "/timp/orders/x/", timeout=5)  # open the connection first
        barrier.wait(timeout=10)
        path = str(call.pop("path"))
        return client.request("PATCH", path, session=session, **call)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def _two_winners(client: TargetClient, first: dict[str, object], second: dict[str, object], spell=str) -> bool:
    for _ in range(RACE_TRIES):
        order = client.setup(PENDING)
        answers = _together(
            client, [{"path": reject_path(order), **first}, {"path": reject_path(spell(order)), **second}]
        )
        if all(is_success(answer) for answer in answers):
            return True
    return False


@demonstrates("spelling-keyed-lock-race")
def _spelling_keyed_lock_race(client: TargetClient) -> bool:
    return _two_winners(client, {}, {}, spell=str.upper)


@demonstrates("json-body-skips-lock-race")
def _json_body_skips_lock_race(client: TargetClient) -> bool:
    return _two_winners(client, {"headers": JSON, "data": b"{}"}, {"headers": JSON, "data": b"{}"})


@demonstrates("second-reject-uncancels")
def _second_reject_uncancels(client: TargetClient) -> bool:
    order = client.setup(CONFIRMED)
    refused = [client.reject(order).status_code for _ in range(2)]
    return refused == [422, 422] and not client.cancelled(order)


@demonstrates("third-refusal-applies")
def _third_refusal_applies(client: TargetClient) -> bool:
    order = client.setup(PENDING)
    refused = [client.reject(order, role=None).status_code for _ in range(3)]
    return refused == [401, 401, 401] and client.reject(order).status_code == 422
