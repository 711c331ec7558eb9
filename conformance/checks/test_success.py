"""REJ-001..003: a supplier rejects a pending cancellation, and the order ends up not cancelled."""

from __future__ import annotations

import pytest

from conformance.checks._support import expect_status, fail, precondition
from conformance.probes import confirm_path, order_state, reject_path
from conformance.provisioning.states import PENDING

pytestmark = [pytest.mark.destructive, pytest.mark.smoke]


@pytest.mark.requirement("REJ-001")
def test_rej_001_supplier_rejects_pending_cancellation(client, fresh_order):
    """The supplier rejects a pending cancellation: 200 with JSON or 204 with an empty body."""
    order = fresh_order(PENDING)
    answer = client.request("PATCH", reject_path(order), role="supplier")
    expect_status(answer, {200, 204})
    if answer.status == 204 and answer.body:
        fail("a 204 must have an empty body", answer)
    if answer.status == 200:
        if not answer.is_json:
            fail(f"a 200 must carry application/json, got {answer.content_type or 'no Content-Type'}", answer)
        try:
            answer.json()
        except ValueError:
            fail("a 200's body must be JSON", answer)


@pytest.mark.requirement("REJ-002")
def test_rej_002_rejected_order_is_not_cancelled(client, fresh_order):
    """After a reject the order detail answers 200 and no line item is Cancelled."""
    order = fresh_order(PENDING)
    answer = client.request("PATCH", reject_path(order), role="supplier")
    precondition(answer, "the reject")
    state = order_state(client, order)
    expect_status(state.exchange, {200}, "the order detail after the reject")
    if not state.readable:
        fail("the order detail has no readable line_items", state.exchange)
    if state.any_cancelled:
        fail(f"after the reject a line item is Cancelled: {list(state.statuses or ())}", state.exchange)


@pytest.mark.requirement("REJ-003")
def test_rej_003_rejected_cancellation_is_no_longer_pending(client, fresh_order):
    """After a reject, confirming answers 422 and the order stays not cancelled."""
    order = fresh_order(PENDING)
    answer = client.request("PATCH", reject_path(order), role="supplier")
    precondition(answer, "the reject")
    confirm = client.request("PATCH", confirm_path(order), role="supplier")
    expect_status(confirm, {422}, "confirming a rejected cancellation")
    state = order_state(client, order)
    if not state.readable or state.any_cancelled:
        fail("after the refused confirm the order must stay not cancelled", state.exchange)
