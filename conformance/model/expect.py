"""``expect(order, actor, request)``: every answer CONTRACT.md allows for one cell, and the rows governing it.

How a cell is read from the contract:

- Refusals. Each row that refuses the request (malformed identifier REJ-021, another method REJ-050,
  authentication REJ-030…036, organization type REJ-040, organization REJ-042, permission REJ-041, an
  identifier naming no order REJ-020) allows its statuses with the state unchanged. The docs fix no order
  among these checks, so when several rows refuse one request, any of their answers is conformant.
- Otherwise the state row decides: rejecting a pending cancellation answers 200 or 204 and rejects it
  (REJ-001…003); a rejected one, one never requested, a confirmed one answer 422 and stay (REJ-010…012).
  State rows govern a requester that may reject: the refusal rows come first for everybody else.
- Choices the contract leaves open add answers with the state unchanged: the uppercase form may name no
  order (404, REJ-022); a percent-encoded character may be read as malformed (REJ-021); a body that is
  not a JSON object may be refused (400, 415: a body is not documented), a JSON object must behave as no
  body (REJ-052), one with unknown fields may also be refused (400); the unslashed URL may redirect (301,
  308) or not exist (404) (REJ-051).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from conformance.model.actors import SESSION, USER, Actor
from conformance.model.requests import (
    BODY_BY_NAME,
    BY_NAME,
    CONFIRM,
    ENCODED,
    MALFORMED,
    REJECT,
    UPPERCASE,
    Request,
)
from conformance.model.states import CONFIRMED, NONE, PENDING, REJECTED, Order

REJECT_SUCCESS = frozenset({200, 204})
CONFIRM_SUCCESS = frozenset({200, 201, 204})
MALFORMED_STATUSES = frozenset({400, 404, 422})
REDIRECTS = frozenset({301, 308})
#: Rows whose refusals REJ-037 says leave the state unchanged.
ACCESS_ROWS = frozenset({"REJ-030", "REJ-031", "REJ-032", "REJ-033", "REJ-034", "REJ-035", "REJ-036",
                         "REJ-040", "REJ-041", "REJ-042"})  # fmt: skip

#: (action, state) -> (the row, statuses, next state) when the requester may act.
STATE_ROWS: dict[tuple[str, str], tuple[str, frozenset[int], str]] = {
    (REJECT, PENDING): ("REJ-001", REJECT_SUCCESS, REJECTED),
    (REJECT, REJECTED): ("REJ-010", frozenset({422}), REJECTED),
    (REJECT, NONE): ("REJ-011", frozenset({422}), NONE),
    (REJECT, CONFIRMED): ("REJ-012", frozenset({422}), CONFIRMED),
    (CONFIRM, PENDING): ("REJ-014", CONFIRM_SUCCESS, CONFIRMED),
    (CONFIRM, REJECTED): ("REJ-003", frozenset({422}), REJECTED),
    (CONFIRM, NONE): ("REJ-011", frozenset({422}), NONE),
    (CONFIRM, CONFIRMED): ("REJ-012", frozenset({422}), CONFIRMED),
}
#: After a success, a later observation that the state is wrong breaks these rows (by the state seen).
SUCCESS_EFFECT_ROWS = {CONFIRMED: "REJ-002", PENDING: "REJ-003", REJECTED: "REJ-003", NONE: "REJ-003"}


@dataclass(frozen=True)
class Expectation:
    """The answers one cell allows, each with the state it leaves, and the rows that govern the cell."""

    outcomes: frozenset[tuple[int, str]]
    governing: tuple[str, ...]  # the rows that decide the cell (refusals, or the state row)
    variants: tuple[str, ...] = ()  # rows of the request's variations (spelling, body, slash)
    refused: bool = False  # some row refuses the request: no answer may change the state

    @property
    def statuses(self) -> frozenset[int]:
        """Every allowed status."""
        return frozenset(status for status, _ in self.outcomes)

    def next_states(self, status: int) -> frozenset[str]:
        """The states the order may be in after answering ``status`` (empty: the status is not allowed)."""
        return frozenset(state for allowed, state in self.outcomes if allowed == status)

    @property
    def requirements(self) -> tuple[str, ...]:
        """Every row governing the cell, REJ-037 included for refused access."""
        return _unique(self.governing + self.variants + self.state_rows_extra)

    @property
    def state_rows_extra(self) -> tuple[str, ...]:
        """REJ-037 when the cell is an access refusal (its state must stay as it was)."""
        return ("REJ-037",) if self.refused and ACCESS_ROWS & set(self.governing) else ()

    def blame_status(self) -> tuple[str, ...]:
        """The rows an answer outside ``statuses`` breaks."""
        return _unique(self.governing + self.variants)

    def blame_state(self, seen_state: str | None = None, status: int | None = None) -> tuple[str, ...]:
        """The rows broken when the state after answering ``status`` was ``seen_state``, which the cell forbids.

        A refusal that changed the state breaks its rows (and REJ-037 for access); a success that left the
        wrong state breaks REJ-002 (cancelled) or REJ-003 (still pending); an answer a contract choice allows
        (a variation's refusal, e.g. 415 for a text body) breaks that variation's rows.
        """
        if self.refused:
            return _unique(self.governing + self.variants + self.state_rows_extra)
        succeeded = status is None or 200 <= status < 300
        if succeeded and self.governing[:1] == ("REJ-001",):
            return _unique((SUCCESS_EFFECT_ROWS.get(seen_state or "", "REJ-003"), *self.variants))
        if not succeeded and self.variants and status not in {code for code, _ in self._state_row_outcomes()}:
            return self.variants
        return _unique(self.governing + self.variants)

    def _state_row_outcomes(self) -> frozenset[tuple[int, str]]:
        row = self.governing[0] if self.governing else ""
        return frozenset(
            (code, after) for key, (name, codes, after) in STATE_ROWS.items() if name == row for code in codes
        )


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def expect(order: Order, actor: Actor, request: Request) -> Expectation:
    """The answers CONTRACT.md allows when ``actor`` sends ``request`` about ``order``."""
    if not request.slash:
        slashed = expect(order, actor, replace(request, slash=True))
        return _with_choice(slashed, "REJ-051", REDIRECTS | {404}, order.state)
    spelling = BY_NAME[request.spelling]
    body = BODY_BY_NAME[request.body]
    refusals: list[tuple[str, frozenset[int]]] = []
    if spelling.kind == MALFORMED:
        refusals.append(("REJ-021", MALFORMED_STATUSES | ({414} if request.is_long else set())))
    if request.method != "PATCH":
        refusals.append(("REJ-050", frozenset({405})))
    if not actor.authenticated(request.method):
        refusals.append((actor.requirement, frozenset({401, 403}) if actor.kind == SESSION else frozenset({401})))
    elif actor.kind == USER:
        if actor.organization == "retailer":
            refusals.append(("REJ-040", frozenset({409})))
        elif order.exists and actor.organization != order.owner:
            refusals.append(("REJ-042", frozenset({403, 404})))
        elif not actor.can_cancel:
            refusals.append(("REJ-041", frozenset({403})))
    if not order.exists and spelling.kind != MALFORMED:
        refusals.append(("REJ-020", frozenset({404})))
    if refusals:
        statuses = frozenset().union(*(allowed for _, allowed in refusals))
        cell = Expectation(
            frozenset((status, order.state) for status in statuses),
            _unique(tuple(row for row, _ in refusals)),
            refused=True,
        )
    else:
        row, statuses, after = STATE_ROWS[(request.action, order.state)]
        cell = Expectation(frozenset((status, after) for status in statuses), (row,))
    if spelling.kind == UPPERCASE:
        cell = _with_choice(cell, "REJ-022", frozenset({404}), order.state)
    elif spelling.kind == ENCODED:
        cell = _with_choice(cell, "REJ-021", MALFORMED_STATUSES, order.state)
    elif spelling.kind == MALFORMED:
        cell = replace(cell, variants=_unique((*cell.variants, "REJ-021")))
    if body.kind != "none":
        extra = {"unknown-fields": {400}, "invalid-json": {400}, "not-json": {400, 415}}.get(body.kind, set())
        cell = _with_choice(cell, "REJ-052", frozenset(extra), order.state)
    return cell


def _with_choice(cell: Expectation, row: str, statuses: frozenset[int], state: str) -> Expectation:
    """``cell`` plus answers a contract choice allows (state unchanged), ``row`` added to its variants."""
    return replace(
        cell,
        outcomes=cell.outcomes | frozenset((status, state) for status in statuses),
        variants=_unique((*cell.variants, row)),
    )
