"""REJ-020..022: identifiers that name no order, malformed identifiers, the uppercase form."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.checks._support import expect_no_server_error, expect_state, expect_status, fail
from conformance.checks.exact import send_exact
from conformance.checks.malformed import LONG_NAME, catalogue, malformed_identifiers
from conformance.ci import running_in_ci
from conformance.probes import is_success, reject_path, settled_not_cancelled, still_pending
from conformance.provisioning.states import PENDING

pytestmark = pytest.mark.identifiers
MALFORMED = catalogue()
MALFORMED_ALLOWED = {400, 404, 422}


@pytest.mark.smoke
@pytest.mark.requirement("REJ-020")
def test_rej_020_unknown_uuid_answers_404(client):
    """A well-formed UUID that names no order answers 404."""
    answer = client.request("PATCH", reject_path(str(uuid.uuid4())), role="supplier")
    expect_status(answer, {404})


def _judge_malformed(answer, name: str) -> None:
    allowed = MALFORMED_ALLOWED | ({414} if name == LONG_NAME else set())
    expect_no_server_error(answer, f"malformed order_uuid ({name})")
    expect_status(answer, allowed, f"malformed order_uuid ({name})")


@pytest.mark.requirement("REJ-021")
@pytest.mark.parametrize(("name", "segment"), MALFORMED, ids=[name for name, _ in MALFORMED])
def test_rej_021_malformed_uuid_is_refused(client, name, segment):
    """A malformed order_uuid answers 400, 404 or 422 (414 for the long one); never 2xx, never 5xx."""
    answer = send_exact(client, "PATCH", reject_path(segment), role="supplier")  # byte-exact, or not verified
    _judge_malformed(answer, name)


@pytest.mark.requirement("REJ-021")
@settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written into the user's working directory
    derandomize=running_in_ci(),  # reproducible in CI, exploring elsewhere
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(segment=malformed_identifiers())
def test_rej_021_generated_malformed_uuid_is_refused(client, segment):
    """Generated malformed identifiers: never 2xx, never 5xx, 400/404/422 only."""
    answer = send_exact(client, "PATCH", reject_path(segment), role="supplier", generated=True)
    _judge_malformed(answer, f"generated {segment[:40]!r}")


@pytest.mark.destructive
@pytest.mark.requirement("REJ-022")
def test_rej_022_uppercase_uuid(client, fresh_order):
    """The uppercase form of a pending order's UUID answers 2xx (same order) or 404; never 5xx."""
    order = fresh_order(PENDING)
    answer = client.request("PATCH", reject_path(order.upper()), role="supplier")
    expect_no_server_error(answer)
    expect_status(answer, {200, 204, 404}, "the uppercase UUID")
    if is_success(answer.status):  # the same order must now be rejected: not cancelled, not pending
        verdict = settled_not_cancelled(client, order)
        if not verdict.ok:
            fail("a 2xx on the uppercase form must reject the same order: " + verdict.message(), answer)
    else:  # a 404 must not have touched the order: it is still pending
        expect_state(still_pending(client, order), answer)
