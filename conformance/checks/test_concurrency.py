"""REJ-013/014: simultaneous requests on one pending cancellation; exactly one wins.

A race shows only sometimes, so each check repeats its round (``--race-rounds N``, default 5) on a fresh
order, and varies which request leaves first: round 1 releases all together, each later round lets one
request (in turn) leave a moment before the others. A failure names the round; a pass records the
rounds run (the ``race_rounds`` property).
"""

from __future__ import annotations

import functools
import time

import pytest

from conformance import ratelimit
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
from conformance.together import release_together

pytestmark = [pytest.mark.destructive, pytest.mark.concurrency]
#: In a round with a leader, the other requests leave this much later.
LEAD_SECONDS = 0.003


def send_together(client: Client, requests_to_send: list[tuple[str, str]], lead: int | None = None) -> list[Exchange]:
    """Send ``(method, path)`` requests as ``supplier`` together (``conformance.together``: one warm thread
    each, one barrier). With ``lead`` set, that request leaves ``LEAD_SECONDS`` before the others."""

    def one(index: int) -> Exchange:
        method, path = requests_to_send[index]
        if lead is not None and index != lead:
            time.sleep(LEAD_SECONDS)
        return client.request(method, path, role="supplier")

    order = requests_to_send[0][1].split("/")[4]
    return release_together(client, [functools.partial(one, index) for index in range(len(requests_to_send))],
                            lambda: client.request("GET", detail_path(order), role="supplier"))  # fmt: skip


def leader(round_index: int, size: int) -> int | None:
    """Which request leaves first in a round: none in the first, then each in turn."""
    return None if round_index == 0 else (round_index - 1) % size


def prepay_round(size: int) -> None:
    """Under a rate cap, pay a round's requests up front so its simultaneous ones leave together."""
    ratelimit.limiter().prepay(2 * size + 4)


@pytest.mark.requirement("REJ-013")
def test_rej_013_simultaneous_rejects_have_one_winner(client, fresh_order, run_config, race_rounds, request):
    """N simultaneous rejects of one pending cancellation: exactly one 2xx, all others 422, no 5xx."""
    for round_index in range(race_rounds):
        order = fresh_order(PENDING)
        prepay_round(run_config.concurrency)
        lead = leader(round_index, run_config.concurrency)
        answers = send_together(client, [("PATCH", reject_path(order))] * run_config.concurrency, lead)
        statuses = sorted(answer.status for answer in answers)
        winners = [answer for answer in answers if is_success(answer.status)]
        odd = [answer for answer in answers if not is_success(answer.status) and answer.status != 422]
        where = f"round {round_index + 1} of {race_rounds}"
        if len(winners) != 1 or odd:
            fail(f"{len(answers)} simultaneous rejects ({where}): expected exactly one 2xx and the rest "
                 f"422, got {statuses}", *(odd or winners[1:2] or answers[:1]))
        expect_state(settled_not_cancelled(client, order), *answers[:1])
    request.node.user_properties.append(("race_rounds", str(race_rounds)))


@pytest.mark.requirement("REJ-014")
def test_rej_014_reject_and_confirm_together_have_one_winner(client, fresh_order, race_rounds, request):
    """A reject and a confirm sent together: exactly one 2xx, the other 422; final state is the winner's."""
    for round_index in range(race_rounds):
        order = fresh_order(PENDING)
        prepay_round(2)
        pair = [("PATCH", reject_path(order)), ("PATCH", confirm_path(order))]
        reject, confirm = send_together(client, pair, leader(round_index, 2))
        statuses = {"reject": reject.status, "confirm": confirm.status}
        if is_success(reject.status) == is_success(confirm.status) or 422 not in statuses.values():
            fail(f"a reject and a confirm sent together (round {round_index + 1} of {race_rounds}): "
                 f"expected exactly one 2xx and the other 422, got {statuses}", reject, confirm)
        final = settled_not_cancelled(client, order) if is_success(reject.status) else still_cancelled(client, order)
        expect_state(final, reject, confirm)
    request.node.user_properties.append(("race_rounds", str(race_rounds)))
