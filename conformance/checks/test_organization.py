"""REJ-040..042: authenticated users who may not reject this cancellation; state must stay unchanged."""

from __future__ import annotations

import pytest

from conformance.checks._support import attempt_on_pending, expect_state, expect_status, fail
from conformance.probes import is_success, reject_path
from conformance.provisioning.states import OTHER_SUPPLIER_PENDING

pytestmark = [pytest.mark.auth, pytest.mark.destructive]


def reject_as(client, role: str):
    """A ``send(order)`` callable: PATCH the reject URL as ``role``."""
    return lambda order: client.request("PATCH", reject_path(order), role=role)


@pytest.mark.requirement("REJ-040")
def test_rej_040_retailer_answers_409(client, fresh_order, request, need_role):
    """A retailer answers 409; state unchanged."""
    need_role("retailer")
    attempt, verdict = attempt_on_pending(client, fresh_order, request, reject_as(client, "retailer"))
    expect_status(attempt, {409}, "a retailer's reject")
    expect_state(verdict, attempt)


@pytest.mark.requirement("REJ-041")
def test_rej_041_supplier_without_permission_answers_403(client, fresh_order, request, need_role):
    """A supplier user without cancel_order answers 403; state unchanged."""
    need_role("supplier_no_permission")
    attempt, verdict = attempt_on_pending(client, fresh_order, request, reject_as(client, "supplier_no_permission"))
    expect_status(attempt, {403}, "a reject without the cancel_order permission")
    expect_state(verdict, attempt)


@pytest.mark.requirement("REJ-042")
@pytest.mark.parametrize("direction", ["other-supplier-on-ours", "ours-on-other-suppliers"])
def test_rej_042_other_organization_is_refused(client, fresh_order, request, need_role, direction):
    """Another supplier organization's order: 404 or 403, never 2xx; state unchanged."""
    need_role("other_supplier")
    if direction == "other-supplier-on-ours":
        attempt, verdict = attempt_on_pending(client, fresh_order, request, reject_as(client, "other_supplier"))
    else:
        attempt, verdict = attempt_on_pending(
            client,
            fresh_order,
            request,
            reject_as(client, "supplier"),
            state=OTHER_SUPPLIER_PENDING,
            owner="other_supplier",
        )
    if is_success(attempt.status):
        fail("a supplier rejected another organization's cancellation", attempt)
    expect_status(attempt, {403, 404}, "a reject across organizations")
    expect_state(verdict, attempt)
