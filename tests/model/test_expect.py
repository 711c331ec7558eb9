"""The model's cells: every CONTRACT.md row is represented, and each choice the contract leaves open is allowed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.model.actors import BY_NAME, SUPPLIER
from conformance.model.expect import expect
from conformance.model.requests import CONFIRM_PROBE, Request
from conformance.model.states import CONFIRMED, NONE, OURS, PENDING, PROVIDER_STATES, REJECTED, THEIRS, UNKNOWN, Order
from conformance.model.table import as_json, digest, rows
from conformance.provisioning import states as provider

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "CONTRACT.md"
#: Rows judged outside the table's cells: the order detail after a reject (REJ-002, judge.blame_change),
#: simultaneous groups (REJ-013, linearize), one response's headers and body (responses.problems), the fuzz
#: stage (REJ-060) and latency (REJ-070).
JUDGED_ELSEWHERE = {"REJ-002", "REJ-013", "REJ-023", "REJ-034", "REJ-053", "REJ-054", "REJ-060", "REJ-070"}


def contract_rows() -> set[str]:
    """Every REJ id CONTRACT.md's requirement table names."""
    return set(re.findall(r"^\| (REJ-\d{3}) \|", CONTRACT.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_every_contract_row_is_a_cell_of_the_model_or_judged_by_its_named_judge():
    in_cells = {requirement for row in rows() for requirement in row.requirements}
    assert contract_rows(), "CONTRACT.md not found next to the repository"
    assert sorted(contract_rows() - in_cells - JUDGED_ELSEWHERE) == []


def test_provider_states_are_the_contracts_names():
    assert set(PROVIDER_STATES) == set(provider.ALL_STATES)


@pytest.mark.parametrize(
    ("order", "expected", "after", "row"),
    [
        (Order(PENDING), {200, 204}, REJECTED, "REJ-001"),
        (Order(REJECTED), {422}, REJECTED, "REJ-010"),
        (Order(NONE), {422}, NONE, "REJ-011"),
        (Order(CONFIRMED), {422}, CONFIRMED, "REJ-012"),
    ],
)
def test_the_supplier_rejecting_gets_the_state_row(order, expected, after, row):
    cell = expect(order, SUPPLIER, Request())
    assert cell.statuses == expected and cell.governing == (row,)
    assert {state for _, state in cell.outcomes} == {after}


@pytest.mark.parametrize("state", [PENDING, REJECTED, NONE, CONFIRMED])
@pytest.mark.parametrize(
    ("actor", "allowed", "row"),
    [
        ("anonymous", {401}, "REJ-030"),
        ("unknown_token", {401}, "REJ-031"),
        ("token_two_values", {401}, "REJ-032"),
        ("expired", {401}, "REJ-033"),
        ("query_key", {401}, "REJ-035"),
        ("session_cookie", {401, 403}, "REJ-036"),
        ("retailer", {409}, "REJ-040"),
        ("supplier_no_permission", {403}, "REJ-041"),
        ("other_supplier", {403, 404}, "REJ-042"),
    ],
)
def test_refused_actors_get_their_row_in_every_state_and_change_nothing(state, actor, allowed, row):
    cell = expect(Order(state), BY_NAME[actor], Request())
    assert cell.statuses == allowed and row in cell.governing and cell.refused
    assert {after for _, after in cell.outcomes} == {state}
    assert "REJ-037" in cell.requirements


def test_open_choices_are_allowed_and_no_more():
    assert expect(Order(PENDING), SUPPLIER, Request(spelling="uppercase")).statuses == {200, 204, 404}
    assert expect(Order(PENDING), SUPPLIER, Request(spelling="braces")).statuses == {400, 404, 422}
    assert expect(Order(PENDING), SUPPLIER, Request(spelling="4kb-string")).statuses == {400, 404, 414, 422}
    assert expect(Order(PENDING), SUPPLIER, Request(body="json-empty-object")).statuses == {200, 204}
    assert expect(Order(PENDING), SUPPLIER, Request(body="text-plain")).statuses == {200, 204, 400, 415}
    assert expect(Order(PENDING), SUPPLIER, Request(slash=False)).statuses == {200, 204, 301, 308, 404}
    assert expect(Order(PENDING, THEIRS), SUPPLIER, Request()).statuses == {403, 404}
    assert expect(Order(PENDING, THEIRS), BY_NAME["other_supplier"], Request()).statuses == {200, 204}
    assert expect(UNKNOWN, SUPPLIER, Request()).statuses == {404}
    assert expect(Order(PENDING), SUPPLIER, Request(method="DELETE")).statuses == {405}
    assert expect(Order(PENDING), BY_NAME["anonymous"], Request(method="GET")).statuses == {401, 405}
    assert expect(Order(REJECTED), SUPPLIER, CONFIRM_PROBE).statuses == {422}


def test_a_malformed_spelling_never_allows_a_success_nor_a_change():
    for actor in BY_NAME.values():
        cell = expect(Order(PENDING, OURS), actor, Request(spelling="urn-uuid"))
        assert not any(200 <= status < 300 for status in cell.statuses)
        assert {after for _, after in cell.outcomes} == {PENDING}


def test_the_table_is_stable_and_its_digest_names_it():
    assert as_json() == as_json()
    assert len(digest()) == 64
    assert len(rows()) == len({(row.actor, row.order, row.request) for row in rows()})
