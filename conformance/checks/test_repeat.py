"""REJ-010..012: rejecting what is not a pending cancellation answers 422 and changes nothing."""

from __future__ import annotations

import pytest

from conformance.checks._support import expect_state, expect_status, precondition
from conformance.probes import reject_path, settled_not_cancelled, still_cancelled
from conformance.provisioning.states import CONFIRMED, PENDING, REJECTED, WITHOUT_CANCELLATION

pytestmark = [pytest.mark.destructive, pytest.mark.repeat]


@pytest.mark.requirement("REJ-010")
@pytest.mark.parametrize("how", ["rejected-here", "rejected-state"])
def test_rej_010_rejecting_again_answers_422(client, fresh_order, how):
    """Rejecting an already rejected cancellation answers 422 and leaves it rejected."""
    if how == "rejected-here":
        order = fresh_order(PENDING)
        precondition(client.request("PATCH", reject_path(order), role="supplier"), "the first reject")
    else:
        order = fresh_order(REJECTED)
    again = client.request("PATCH", reject_path(order), role="supplier")
    expect_status(again, {422}, "rejecting an already rejected cancellation")
    expect_state(settled_not_cancelled(client, order), again)


@pytest.mark.requirement("REJ-011")
def test_rej_011_order_without_cancellation_answers_422(client, fresh_order):
    """Rejecting an order with no cancellation request answers 422, state unchanged."""
    order = fresh_order(WITHOUT_CANCELLATION)
    answer = client.request("PATCH", reject_path(order), role="supplier")
    expect_status(answer, {422}, "rejecting an order without a cancellation request")
    expect_state(settled_not_cancelled(client, order), answer)


@pytest.mark.requirement("REJ-012")
def test_rej_012_confirmed_cancellation_answers_422(client, fresh_order):
    """Rejecting a confirmed cancellation answers 422; the order stays cancelled."""
    order = fresh_order(CONFIRMED)
    answer = client.request("PATCH", reject_path(order), role="supplier")
    expect_status(answer, {422}, "rejecting a confirmed cancellation")
    expect_state(still_cancelled(client, order), answer)
