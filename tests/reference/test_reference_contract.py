"""Every REJ requirement of CONTRACT.md against a live reference server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.reference.conftest import HTTP_TIMEOUT

PENDING = "a pending order cancellation"
NO_REQUEST = "an order without a cancellation request"
REJECTED = "a rejected order cancellation"
CONFIRMED = "a confirmed order cancellation"
OTHERS = "another supplier's pending order cancellation"
DOCUMENTED = {200, 201, 204, 400, 401, 403, 404, 405, 409, 415, 422, 301, 308, 414, 429}


@pytest.fixture
def api(reference, auth):
    """Small verbs over the live server: reject/confirm/detail as a role, with the raw response back."""

    class Api:
        def url(self, order_uuid: str, action: str = "reject") -> str:
            return f"{reference.base_url}/timp/orders/cancel/{order_uuid}/{action}/"

        def reject(self, order_uuid: str, role: str | None = "supplier", **kwargs) -> requests.Response:
            headers = {**(auth(role) if role else {}), **kwargs.pop("headers", {})}
            return requests.patch(self.url(order_uuid), headers=headers, timeout=HTTP_TIMEOUT,
                                  allow_redirects=False, **kwargs)

        def confirm(self, order_uuid: str) -> requests.Response:
            return requests.patch(self.url(order_uuid, "confirm"), headers=auth("supplier"), timeout=HTTP_TIMEOUT)

        def statuses(self, order_uuid: str) -> list[str]:
            response = requests.get(f"{reference.base_url}/timp/orders/{order_uuid}/", headers=auth("supplier"),
                                    timeout=HTTP_TIMEOUT)
            assert response.status_code == 200, response.text
            return [item["status"] for item in response.json()["line_items"]]

        def assert_still_pending(self, order_uuid: str) -> None:
            assert "Cancelled" not in self.statuses(order_uuid)
            assert self.reject(order_uuid).status_code == 200

    return Api()


def _assert_json(response: requests.Response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


# --- success -------------------------------------------------------------------------------------


def test_rej_001_supplier_rejects_pending_cancellation(api, order_in):
    response = api.reject(order_in(PENDING))
    assert response.status_code == 200
    assert _assert_json(response)["messages"] == []


def test_rej_002_after_reject_order_not_cancelled(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order).status_code == 200
    statuses = api.statuses(order)
    assert statuses and "Cancelled" not in statuses


def test_rej_003_after_reject_confirm_answers_422(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order).status_code == 200
    assert api.confirm(order).status_code == 422
    assert "Cancelled" not in api.statuses(order)


# --- repeat and state ----------------------------------------------------------------------------


def test_rej_010_reject_twice_answers_422(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order).status_code == 200
    again = api.reject(order)
    assert again.status_code == 422
    assert "detail" in _assert_json(again)
    assert api.confirm(order).status_code == 422


def test_rej_011_no_cancellation_request_answers_422(api, order_in):
    order = order_in(NO_REQUEST)
    assert api.reject(order).status_code == 422
    assert api.confirm(order).status_code == 422
    assert "Cancelled" not in api.statuses(order)


def test_rej_011_already_rejected_answers_422(api, order_in):
    assert api.reject(order_in(REJECTED)).status_code == 422


def test_rej_012_confirmed_cancellation_answers_422_and_stays_cancelled(api, order_in):
    order = order_in(CONFIRMED)
    assert set(api.statuses(order)) == {"Cancelled"}
    assert api.reject(order).status_code == 422
    assert set(api.statuses(order)) == {"Cancelled"}


# --- concurrency ---------------------------------------------------------------------------------


def _simultaneously(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(HTTP_TIMEOUT)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.parametrize("clients", [8, 32])
def test_rej_013_simultaneous_rejects_have_one_winner(api, order_in, clients):
    order = order_in(PENDING)
    codes = Counter(r.status_code for r in _simultaneously([lambda: api.reject(order)] * clients))
    assert codes == {200: 1, 422: clients - 1}


def test_rej_014_reject_and_confirm_have_one_winner(api, order_in):
    winners = Counter()
    for _ in range(6):
        order = order_in(PENDING)
        reject, confirm = _simultaneously([lambda o=order: api.reject(o), lambda o=order: api.confirm(o)])
        assert sorted([reject.status_code, confirm.status_code]) == [200, 422]
        statuses = set(api.statuses(order))
        if reject.status_code == 200:
            winners["reject"] += 1
            assert "Cancelled" not in statuses
        else:
            winners["confirm"] += 1
            assert statuses == {"Cancelled"}
    assert sum(winners.values()) == 6


# --- identifiers ---------------------------------------------------------------------------------


def test_rej_020_unknown_uuid_answers_404(api):
    assert api.reject(str(uuid.uuid4())).status_code == 404


MALFORMED = [
    "", "1", "3f756137", "3f756137-f575-4337-b61f-d55b917b146", "3f756137-f575-4337-b61f-d55b917b146bb",
    "3f756137f5754337b61fd55b917b146b", "3f756137-f575-4337-b61f-d55b917b146g", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
    "3f756137--f575-4337-b61f-d55b917b146b", "-3f756137-f575-4337-b61f-d55b917b146b",
    "{3f756137-f575-4337-b61f-d55b917b146b}", "urn:uuid:3f756137-f575-4337-b61f-d55b917b146b",
    " 3f756137-f575-4337-b61f-d55b917b146b", "3f756137-f575-4337-b61f-d55b917b146b%20", "%20",
    "%2F", "%2e%2e", "..", "%00", "3f756137-f575-4337-b61f-d55b917b146b%00",
    "\uff13f756137-f575-4337-b61f-d55b917b146b",
    "3f756137\u2010f575\u20104337\u2010b61f\u2010d55b917b146b",
    "' OR '1'='1", "1;DROP TABLE orders", "{{7*7}}", "${7*7}",
    "<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "null", "00000000-0000-0000-0000-00000000000",
    "a" * 4096,
]


@pytest.mark.parametrize("segment", MALFORMED, ids=range(len(MALFORMED)))
def test_rej_021_malformed_uuid_never_2xx_or_5xx(reference, auth, segment):
    url = f"{reference.base_url}/timp/orders/cancel/{segment}/reject/"
    response = requests.patch(url, headers=auth("supplier"), timeout=HTTP_TIMEOUT, allow_redirects=False)
    assert response.status_code in {400, 404, 422, 414}
    assert "Traceback" not in response.text


def test_rej_021_catalogue_has_at_least_30_forms():
    assert len(set(MALFORMED)) >= 30


def test_rej_022_uppercase_uuid_is_404_or_same_order(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order.upper()).status_code in {200, 204, 404}
    api.assert_still_pending(order)  # our answer is 404: the lowercase form still rejects


def test_rej_023_errors_do_not_reflect_html_or_tracebacks(reference, auth):
    payload = "<script>alert(1)</script>"
    url = f"{reference.base_url}/timp/orders/cancel/{payload}/reject/"
    for headers in ({}, auth("supplier"), auth("retailer")):
        response = requests.patch(url, headers=headers, timeout=HTTP_TIMEOUT)
        assert payload not in response.text
        assert "Traceback (most recent call last)" not in response.text
        assert "Django" not in response.text and "DEBUG" not in response.text


# --- authentication ------------------------------------------------------------------------------


def test_rej_030_no_authorization_answers_401(api, order_in):
    order = order_in(PENDING)
    response = api.reject(order, role=None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    api.assert_still_pending(order)


def test_rej_031_unknown_token_answers_401(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order, role=None, headers={"Authorization": "Token " + "0" * 40}).status_code == 401
    api.assert_still_pending(order)


@pytest.mark.parametrize("value", ["Token", "Token a b", "Bearer abcdef", "Basic dXNlcjpwYXNz", "", "Token \u00e9"])
def test_rej_032_malformed_authorization_answers_401(api, order_in, value):
    order = order_in(PENDING)
    response = api.reject(order, role=None, headers={"Authorization": value.encode("latin-1")})
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers
    api.assert_still_pending(order)


def test_rej_033_expired_token_answers_401(api, order_in):
    order = order_in(PENDING)
    response = api.reject(order, role="expired")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    api.assert_still_pending(order)


def test_rej_034_every_401_carries_www_authenticate(api, order_in):
    order = order_in(PENDING)
    for role, headers in ((None, {}), ("expired", {}), (None, {"Authorization": "Token nope"})):
        response = api.reject(order, role=role, headers=headers)
        assert response.status_code == 401
        assert response.headers.get("WWW-Authenticate")


@pytest.mark.parametrize("name", ["token", "auth_token", "access_token", "key"])
def test_rej_035_token_in_query_string_answers_401(api, order_in, reference, name):
    order = order_in(PENDING)
    response = api.reject(order, role=None, params={name: reference.credentials["supplier"]})
    assert response.status_code == 401
    api.assert_still_pending(order)


def test_rej_036_session_cookie_without_csrf_is_refused(api, order_in, reference):
    order = order_in(PENDING)
    response = api.reject(order, role=None, cookies={"sessionid": reference.credentials["session_id"]})
    assert response.status_code in {401, 403}
    assert "CSRF" in response.json()["detail"]  # the session was recognised, CSRF refused it
    api.assert_still_pending(order)


def test_rej_037_refused_attempts_leave_state_unchanged(api, order_in):
    order = order_in(PENDING)
    for role in (None, "expired", "retailer", "supplier_no_permission", "other_supplier"):
        assert api.reject(order, role=role).status_code in {401, 403, 404, 409}
    assert "Cancelled" not in api.statuses(order)
    api.assert_still_pending(order)


# --- organization and permission -----------------------------------------------------------------


def test_rej_040_retailer_answers_409(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order, role="retailer").status_code == 409
    api.assert_still_pending(order)


def test_rej_041_supplier_without_permission_answers_403(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order, role="supplier_no_permission").status_code == 403
    api.assert_still_pending(order)


def test_rej_042_other_supplier_answers_404(api, order_in, auth, reference):
    order = order_in(PENDING)
    assert api.reject(order, role="other_supplier").status_code == 404
    api.assert_still_pending(order)
    theirs = order_in(OTHERS)
    assert api.reject(theirs).status_code == 404  # and ours cannot touch theirs
    assert requests.patch(api.url(theirs), headers=auth("other_supplier"), timeout=HTTP_TIMEOUT).status_code == 200


# --- methods and request shape -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_rej_050_other_methods_answer_405_with_allow(api, order_in, auth, method):
    order = order_in(PENDING)
    response = requests.request(method, api.url(order), headers=auth("supplier"), timeout=HTTP_TIMEOUT)
    assert response.status_code == 405
    assert "PATCH" in [part.strip() for part in response.headers["Allow"].split(",")]
    api.assert_still_pending(order)


def test_rej_051_missing_slash_redirects_to_slashed_url(api, order_in, auth, reference):
    order = order_in(PENDING)
    slashed = f"/timp/orders/cancel/{order}/reject/"
    response = requests.patch(reference.base_url + slashed[:-1], headers=auth("supplier"), timeout=HTTP_TIMEOUT,
                              allow_redirects=False)
    assert response.status_code == 308
    assert response.headers["Location"] == slashed
    followed = requests.get(reference.base_url + slashed[:-1], headers=auth("supplier"), timeout=HTTP_TIMEOUT,
                            allow_redirects=False)
    assert followed.status_code == 301
    api.assert_still_pending(order)


def test_rej_052_json_empty_object_body_same_as_none(api, order_in):
    with_body = api.reject(order_in(PENDING), data="{}", headers={"Content-Type": "application/json"})
    without = api.reject(order_in(PENDING))
    assert with_body.status_code == without.status_code == 200
    assert with_body.json().keys() == without.json().keys()
    again = api.reject(order_in(REJECTED), data="{}", headers={"Content-Type": "application/json; charset=utf-8"})
    assert again.status_code == 422


def test_rej_052_non_json_body_answers_415_and_bad_json_400(api, order_in):
    order = order_in(PENDING)
    assert api.reject(order, data="x=1", headers={"Content-Type": "text/plain"}).status_code == 415
    assert api.reject(order, data="{", headers={"Content-Type": "application/json"}).status_code == 400
    api.assert_still_pending(order)


def test_rej_053_054_every_response_is_typed_and_documented(reference, auth, order_in, api):
    order = order_in(PENDING)
    responses = [
        api.reject(order, role=None), api.reject(order, role="retailer"), api.reject(order, role="expired"),
        api.reject(str(uuid.uuid4())), api.reject("nope"), api.reject(order), api.reject(order),
        requests.get(api.url(order), headers=auth("supplier"), timeout=HTTP_TIMEOUT),
        requests.patch(api.url(order)[:-1], headers=auth("supplier"), timeout=HTTP_TIMEOUT, allow_redirects=False),
    ]
    for response in responses:
        assert response.status_code in DOCUMENTED
        if response.content:
            content_type = response.headers["Content-Type"]
            if "json" in content_type:
                json.loads(response.content)


# --- latency (REJ-070); fuzzing (REJ-060) is in test_reference_fuzz ---------------------------------


def test_rej_070_latency_percentiles_are_reportable(api, order_in):
    samples = []
    for _ in range(20):
        order = order_in(PENDING)
        started = time.perf_counter()
        assert api.reject(order).status_code == 200
        samples.append(time.perf_counter() - started)
    p50, p95, p99 = (statistics.quantiles(samples, n=100)[i - 1] for i in (50, 95, 99))
    assert 0 < p50 <= p95 <= p99
