"""Bad input never yields 5xx: Hypothesis-generated path segments, methods, headers and bodies over HTTP."""

from __future__ import annotations

import json
import string
from urllib.parse import quote

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reference.conftest import HTTP_TIMEOUT

RAW_SAFE = string.ascii_letters + string.digits + "-._~:@!$&'()*+,;=%{}[]|^`\"<>\\"
LATIN1_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=80)
"""Header values as HTTP allows them: Latin-1, no control characters (sent as bytes, leading blanks removed)."""
FRAMING = {"host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te", "trailer"}


def _encode(segment: str, raw: bool) -> str:
    """Percent-encode a segment; with ``raw``, send printable ASCII as it is (stray % included)."""
    return quote(segment, safe=RAW_SAFE if raw else "")


segments = st.one_of(
    st.text(max_size=60),
    st.uuids().map(str).map(str.upper),
    st.uuids().map(lambda u: str(u).replace("-", "")),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.text(alphabet="0123456789abcdefABCDEF-", min_size=30, max_size=40),
    st.sampled_from(["%00", "%2F", "..", "%2e%2e%2f", "<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}"]),
)
header_names = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=20).filter(
    lambda name: name.lower() not in FRAMING
)


@st.composite
def authorization(draw, valid_token: str):
    scheme = draw(st.sampled_from(["Token", "token", "Bearer", "Basic", "", "Token  "]))
    value = draw(st.one_of(st.just(valid_token), LATIN1_VALUE))
    return f"{scheme} {value}".strip() if draw(st.booleans()) else draw(LATIN1_VALUE)


def _request(reference, method, segment, raw, tail, headers, body):
    headers = {name: value.lstrip(" \t").encode("latin-1") for name, value in headers.items()}
    path = f"/timp/orders/cancel/{_encode(segment, raw)}{tail}"
    prepared = requests.Request(method, reference.base_url + "/", headers=headers, data=body).prepare()
    prepared.url = reference.base_url + path  # as generated: no re-quoting by requests
    with requests.Session() as session:
        return session.send(prepared, timeout=HTTP_TIMEOUT, allow_redirects=False)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.data())
def test_fuzzed_paths_and_headers_never_5xx(reference, data):
    token = reference.credentials["supplier"]
    headers = data.draw(st.dictionaries(header_names, LATIN1_VALUE, max_size=4), label="headers")
    if data.draw(st.booleans(), label="with authorization"):
        headers["Authorization"] = data.draw(authorization(token), label="authorization")
    if data.draw(st.booleans(), label="with content type"):
        headers["Content-Type"] = data.draw(
            st.one_of(st.sampled_from(["application/json", "text/plain", "multipart/form-data",
                                       "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                                       "application/json; charset=utf-16"]), LATIN1_VALUE), label="content type")
    body = data.draw(st.one_of(st.none(), st.binary(max_size=200), st.sampled_from([b"{}", b"[]", b"null", b"{"])),
                     label="body")
    method = data.draw(st.sampled_from(["PATCH", "PATCH", "PATCH", "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD"]),
                       label="method")
    segment = data.draw(segments, label="segment")
    tail = data.draw(st.sampled_from(["/reject/", "/reject", "/reject//", "/reject/?token=" + token]), label="tail")
    response = _request(reference, method, segment, data.draw(st.booleans(), label="raw"), tail, headers, body)
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
).map(lambda value: json.dumps(value).encode())))
def test_fuzzed_json_bodies_on_a_known_order_never_5xx(reference, body):
    """With valid credentials and a well-formed UUID, only the body varies: 400/404/415 at most, never 5xx."""
    headers = {"Authorization": f"Token {reference.credentials['supplier']}", "Content-Type": "application/json"}
    response = _request(reference, "PATCH", "00000000-0000-4000-8000-000000000000", False, "/reject/", headers, body)
    assert response.status_code in {400, 404, 415}, (response.status_code, response.text[:300])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=12,
)
CREATE_KEYS = ["skus", "address", "po_number", "retailer_provided_order_fee", "retailer_provided_tax",
               "retailer_provided_order_attributes", "retailer_provided_notes"]
SKU_KEYS = ["sku_id", "quantity", "supplier_org_uuid", "retailer_provided_sku_cost",
            "retailer_provided_line_item_attributes"]


@st.composite
def create_bodies(draw):
    """Bodies shaped like create-order's, with any JSON value in any field."""
    sku = draw(st.fixed_dictionaries({}, optional={key: json_values for key in SKU_KEYS}))
    if draw(st.booleans()):
        sku["supplier_org_uuid"] = "d6ac857d-c844-4312-8485-6d121d065308"
    body = draw(st.fixed_dictionaries({}, optional={key: json_values for key in CREATE_KEYS}))
    if draw(st.booleans()):
        body["skus"] = [sku]
    return body


@FUZZ
@given(body=create_bodies(), cancel_body=json_values, login_body=json_values)
def test_fuzzed_bodies_of_the_sibling_endpoints_never_5xx(django_ready, body, cancel_body, login_body):
    """Create order, cancel order and login take any JSON: 2xx or 4xx, never 5xx (Django test client)."""
    from django.test import Client

    retailer = Client(HTTP_AUTHORIZATION=f"Token {django_ready.credentials['retailer']}", raise_request_exception=False)
    answers = [
        retailer.post("/timp/orders/create/", json.dumps(body), content_type="application/json"),
        retailer.patch("/timp/orders/cancel/", json.dumps(cancel_body), content_type="application/json"),
        Client(raise_request_exception=False).post("/timp/organizations/user-login/", json.dumps(login_body),
                                                    content_type="application/json"),
    ]
    for answer in answers:
        assert answer.status_code < 500, answer.content[:300]
