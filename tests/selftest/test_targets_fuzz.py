"""The clean targets never answer 5xx or an undocumented status, whatever the path segment or header."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.targets import STYLES, serve_target

DOCUMENTED = {200, 201, 204, 301, 308, 400, 401, 403, 404, 405, 409, 414, 415, 422, 429}
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

segments = st.text(min_size=0, max_size=80).map(lambda text: quote(text, safe=""))
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(str.strip)


@pytest.fixture(params=sorted(STYLES), scope="module")
def target(request):
    with serve_target(style=request.param) as running:
        yield running


@SETTINGS
@given(segment=segments, method=st.sampled_from(["PATCH", "GET", "PUT", "DELETE", "POST"]))
def test_any_identifier_gets_a_documented_answer(target, segment, method):
    headers = {"Authorization": f"Token {target.credentials['supplier']}"}
    url = f"{target.base_url}/timp/orders/cancel/{segment}/reject/"
    response = requests.request(method, url, headers=headers, timeout=5, allow_redirects=False)
    assert response.status_code in DOCUMENTED
    if response.content:
        assert response.headers.get("Content-Type")


@SETTINGS
@given(value=header_values)
def test_any_authorization_header_gets_401_unless_it_is_a_real_token(target, value):
    url = f"{target.base_url}/timp/orders/cancel/00000000-0000-4000-8000-000000000000/reject/"
    response = requests.patch(url, headers={"Authorization": value}, timeout=5, allow_redirects=False)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
