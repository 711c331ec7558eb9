"""Linearizability, attribution to the step that broke the contract, and one response's own rows."""

from __future__ import annotations

from conformance.model import responses
from conformance.model.actors import BY_NAME, SUPPLIER
from conformance.model.judge import Seen, Sent, Together, after, blame_answer, blame_change, culprits, replay
from conformance.model.linearize import Member, linearize
from conformance.model.requests import CONFIRM_PROBE, Request
from conformance.model.states import CONFIRMED, PENDING, REJECTED, Order

REJECT = Request()


def test_one_winner_among_simultaneous_rejects_is_linearizable():
    members = [Member(SUPPLIER, REJECT, 200), Member(SUPPLIER, REJECT, 422), Member(SUPPLIER, REJECT, 422)]
    found = linearize(Order(PENDING), members)
    assert [item.final_state for item in found] == [REJECTED]


def test_two_winners_are_not():
    members = [Member(SUPPLIER, REJECT, 200), Member(SUPPLIER, REJECT, 204)]
    assert linearize(Order(PENDING), members) == []
    assert blame_answer(Order(PENDING), frozenset({PENDING}), Together(tuple(members))) == ("REJ-013", "REJ-010")


def test_a_reject_and_a_confirm_both_winning_break_rej_014():
    members = (Member(SUPPLIER, REJECT, 200), Member(SUPPLIER, CONFIRM_PROBE, 200))
    assert linearize(Order(PENDING), members) == []
    assert "REJ-014" in blame_answer(Order(PENDING), frozenset({PENDING}), Together(members))


def test_the_confirm_winning_leaves_the_order_confirmed():
    members = [Member(SUPPLIER, REJECT, 422), Member(SUPPLIER, CONFIRM_PROBE, 200)]
    assert [item.final_state for item in linearize(Order(PENDING), members)] == [CONFIRMED]


def test_eight_mixed_members_are_judged():
    members = [Member(BY_NAME["retailer"], REJECT, 409)] * 6 + [Member(SUPPLIER, REJECT, 200)] * 2
    assert linearize(Order(PENDING), members) == []


def test_a_refused_attempt_that_changed_the_state_is_the_culprit():
    order = Order(PENDING)
    steps = [Sent(BY_NAME["supplier_no_permission"], REJECT, 403), Seen(False), Sent(SUPPLIER, REJECT, 422)]
    assert after(order, frozenset({PENDING}), steps[-1]) == frozenset()
    found = culprits(order, frozenset({PENDING}), steps)
    assert found[0] == (0, REJECTED) and all(index == 0 for index, _ in found)  # a detail read is no culprit
    rows = blame_change(order, frozenset({PENDING}), steps[0], REJECTED)
    assert set(rows) == {"REJ-041", "REJ-037"}


def test_a_success_that_cancelled_the_order_breaks_rej_002():
    order = Order(PENDING)
    assert replay(order, frozenset({PENDING}), [Sent(SUPPLIER, REJECT, 200), Seen(True)]) == frozenset()
    assert blame_change(order, frozenset({PENDING}), Sent(SUPPLIER, REJECT, 200), CONFIRMED) == ("REJ-002",)


def test_response_rows():
    def found(**fields):
        base = {"action": "reject", "status": 200, "headers": {"content-type": "application/json"}, "body": b"{}",
                "url": "http://t/timp/orders/cancel/x/reject"}  # fmt: skip
        return [row for row, _ in responses.problems(**{**base, **fields})]

    assert found() == []
    assert found(status=204, headers={}, body=b"x") == ["REJ-001", "REJ-053"]
    assert found(status=401, body=b"") == ["REJ-034"]
    assert found(status=405, body=b"", headers={"allow": "GET"}) == ["REJ-050"]
    assert found(status=308, body=b"", headers={"location": "/elsewhere/"},
                 slashed_path="/timp/orders/cancel/x/reject/") == ["REJ-051"]  # fmt: skip
    assert found(status=308, body=b"", headers={"location": "/timp/orders/cancel/x/reject/"},
                 slashed_path="/timp/orders/cancel/x/reject/") == []  # fmt: skip
    assert found(status=500) == ["REJ-054"]
    assert found(status=404, headers={"content-type": "text/html"}, body=b"<b>{{7*7}}</b>",
                 sent_markup="<b>{{7*7}}</b>") == ["REJ-023"]  # fmt: skip
