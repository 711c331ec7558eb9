"""REJ-050..052: other methods, the unslashed URL, and a JSON body ``{}``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conformance.checks._support import expect_no_server_error, expect_state, expect_status, fail
from conformance.client import location_target
from conformance.probes import reject_path, still_pending
from conformance.provisioning.states import PENDING, WITHOUT_CANCELLATION

pytestmark = [pytest.mark.methods, pytest.mark.destructive]


@pytest.mark.requirement("REJ-050")
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_rej_050_other_methods_answer_405_with_allow(client, fresh_order, method):
    """GET, POST, PUT, DELETE as supplier answer 405 with an Allow header listing PATCH; state unchanged."""
    order = fresh_order(PENDING)
    answer = client.request(method, reject_path(order), role="supplier")
    expect_status(answer, {405}, f"{method} on the reject URL")
    allowed = {part.strip().upper() for part in (answer.header("allow") or "").split(",")}
    if "PATCH" not in allowed:
        fail("the 405 must carry an Allow header listing PATCH", answer)
    expect_state(still_pending(client, order), answer)


@pytest.mark.requirement("REJ-051")
def test_rej_051_unslashed_url(client, fresh_order):
    """The URL without its trailing slash never answers 5xx; a redirect points at the slashed URL."""
    order = fresh_order(PENDING)
    slashed = client.url(reject_path(order))
    answer = client.request("PATCH", slashed.rstrip("/"), role="supplier")
    expect_no_server_error(answer, "the unslashed URL")
    if 300 <= answer.status < 400:
        target = location_target(answer)
        # Compare paths: a target may name itself by another host name (e.g. localhost for 127.0.0.1).
        if target is None or urlsplit(target).path != urlsplit(slashed).path:
            fail(f"the redirect must point at {slashed}, points at {target}", answer)


@pytest.mark.requirement("REJ-052")
@pytest.mark.parametrize("state", [PENDING, WITHOUT_CANCELLATION], ids=["pending", "without-cancellation"])
def test_rej_052_json_empty_object_body_behaves_as_no_body(client, fresh_order, state):
    """PATCH with ``Content-Type: application/json`` and ``{}`` answers as the same PATCH with no body."""
    plain = client.request("PATCH", reject_path(fresh_order(state)), role="supplier")
    with_body = client.request(
        "PATCH",
        reject_path(fresh_order(state)),
        role="supplier",
        headers={"Content-Type": "application/json"},
        body=b"{}",
    )
    if plain.status != with_body.status:
        fail(
            f"with a JSON body {{}} the answer was {with_body.status}, without a body {plain.status}", plain, with_body
        )
