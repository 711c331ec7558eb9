"""REJ-013/014: simultaneous requests on one pending cancellation; exactly one wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.checks._support import expect_state, fail
from conformance.client import Client, Exchange
from conformance.probes import (
    confirm_path,
    detail_path,
    is_success,
    reject_path,
    settled_not_cancelled,
    still_cancelled,
)
from conformance.provisioning.states import PENDING

pytestmark = [pytest.mark.destructive, pytest.mark.concurrency]
#: Beyond the warm-up requests' own timeouts, how long the barrier waits for the slowest thread.
BARRIER_SLACK_SECONDS = 5.0


def send_together(client: Client, requests_to_send: list[tuple[str, str]]) -> list[Exchange]:
    """Send ``(method, path)`` requests as ``supplier`` from one thread each, released by one barrier.

    Each thread first opens its connection (a cheap GET), so the barrier releases requests, not handshakes.
    """
    barrier = threading.Barrier(
        len(requests_to_send), timeout=client.timeouts.longest_request() + BARRIER_SLACK_SECONDS
    )  # a slow but correct target gets every warm-up answered before the requests leave together

    def one(method_path: tuple[str, str]) -> Exchange:
        method, path = method_path
        client.request("GET", detail_path(path.split("/")[4]), role="supplier")
        barrier.wait()
        return client.request(method, path, role="supplier")

    with ThreadPoolExecutor(max_workers=len(requests_to_send)) as pool:
        return list(pool.map(one, requests_to_send))


@pytest.mark.requirement("REJ-013")
def test_rej_013_simultaneous_rejects_have_one_winner(client, fresh_order, run_config):
    """N simultaneous rejects of one pending cancellation: exactly one 2xx, all others 422, no 5xx."""
    order = fresh_order(PENDING)
    answers = send_together(client, [("PATCH", reject_path(order))] * run_config.concurrency)
    statuses = sorted(answer.status for answer in answers)
    winners = [answer for answer in answers if is_success(answer.status)]
    odd = [answer for answer in answers if not is_success(answer.status) and answer.status != 422]
    if len(winners) != 1 or odd:
        fail(
            f"{len(answers)} simultaneous rejects: expected exactly one 2xx and the rest 422, got {statuses}",
            *(odd or winners[1:2] or answers[:1]),
        )
    expect_state(settled_not_cancelled(client, order), *answers[:1])


@pytest.mark.requirement("REJ-014")
def test_rej_014_reject_and_confirm_together_have_one_winner(client, fresh_order):
    """A reject and a confirm sent together: exactly one 2xx, the other 422; final state is the winner's."""
    order = fresh_order(PENDING)
    reject, confirm = send_together(client, [("PATCH", reject_path(order)), ("PATCH", confirm_path(order))])
    statuses = {"reject": reject.status, "confirm": confirm.status}
    if is_success(reject.status) == is_success(confirm.status) or 422 not in statuses.values():
        fail(
            f"a reject and a confirm sent together: expected exactly one 2xx and the other 422, got {statuses}",
            reject,
            confirm,
        )
    final = settled_not_cancelled(client, order) if is_success(reject.status) else still_cancelled(client, order)
    expect_state(final, reject, confirm)
