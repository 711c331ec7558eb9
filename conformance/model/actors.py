"""Who sends a request: every credential role, and every way of not being (properly) authenticated.

An actor is data: which credential it needs (``role``), how that credential travels (an ``Authorization``
value with ``{token}`` standing for the role's secret and ``{unknown}`` for a token no target issued, a
query parameter, or the session cookie), and what the contract says of it (``refusal``: the statuses of
the row that refuses it, and that row's id). The driver turns an actor into headers; nothing here sends.
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.model.states import OURS, THEIRS

USER, UNAUTHENTICATED, SESSION = "user", "unauthenticated", "session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Actor:
    """One sender of requests and what CONTRACT.md says about it."""

    name: str
    kind: str  # USER (authenticates as a user), UNAUTHENTICATED, SESSION (cookie without CSRF)
    role: str | None  # the credential it needs (None: it needs none)
    requirement: str  # the row governing this actor ("" for the order's own supplier)
    description: str
    authorization: str | None = None  # the Authorization header value; {token}: role's secret, {unknown}
    query: str | None = None  # a query parameter carrying the role's token
    organization: str | None = None  # USER: OURS, THEIRS or "retailer"
    can_cancel: bool = False  # USER: holds the cancel_order permission

    def authenticated(self, method: str) -> bool:
        """True when the request authenticates a user (the session cookie does so for safe methods only)."""
        return self.kind == USER or (self.kind == SESSION and method in SAFE_METHODS)


def _token(name: str, role: str, requirement: str, description: str, **fields: object) -> Actor:
    return Actor(name, USER, role, requirement, description, authorization="Token {token}", **fields)  # type: ignore[arg-type]


def _refused(name: str, requirement: str, description: str, **fields: object) -> Actor:
    return Actor(name, UNAUTHENTICATED, fields.pop("role", None), requirement, description, **fields)  # type: ignore[arg-type]


ACTORS: tuple[Actor, ...] = (
    _token(
        "supplier",
        "supplier",
        "",
        "`supplier` (the order's supplier, holding cancel_order)",
        organization=OURS,
        can_cancel=True,
    ),
    _token(
        "supplier_no_permission",
        "supplier_no_permission",
        "REJ-041",
        "`supplier_no_permission`",
        organization=OURS,
        can_cancel=False,
    ),
    _token(
        "other_supplier",
        "other_supplier",
        "REJ-042",
        "`other_supplier` (another organization)",
        organization=THEIRS,
        can_cancel=True,
    ),
    _token("retailer", "retailer", "REJ-040", "`retailer`", organization="retailer", can_cancel=False),
    _refused("anonymous", "REJ-030", "no Authorization header"),
    _refused("unknown_token", "REJ-031", "`Token <unknown>`", authorization="Token {unknown}"),
    _refused("token_alone", "REJ-032", "`Authorization: Token`", authorization="Token"),
    _refused(
        "token_two_values",
        "REJ-032",
        "`Token <supplier token> extra`",
        authorization="Token {token} extra",
        role="supplier",
    ),
    _refused("bearer_unknown", "REJ-032", "`Bearer <unknown>`", authorization="Bearer {unknown}"),
    _refused("basic", "REJ-032", "`Basic …`", authorization="Basic c3VwcGxpZXI6cGFzc3dvcmQ="),
    _refused("empty_authorization", "REJ-032", "an empty Authorization value", authorization=""),
    _refused("expired", "REJ-033", "the `expired` token", authorization="Token {token}", role="expired"),
    _refused("query_token", "REJ-035", "the supplier token only in `?token=`", query="token", role="supplier"),
    _refused("query_auth_token", "REJ-035", "… in `?auth_token=`", query="auth_token", role="supplier"),
    _refused("query_access_token", "REJ-035", "… in `?access_token=`", query="access_token", role="supplier"),
    _refused("query_key", "REJ-035", "… in `?key=`", query="key", role="supplier"),
    Actor("session_cookie", SESSION, "session_id", "REJ-036", "the `session_id` cookie without a CSRF token"),
)

BY_NAME: dict[str, Actor] = {actor.name: actor for actor in ACTORS}
SUPPLIER = BY_NAME["supplier"]


def owner_of(organization: str) -> Actor:
    """The actor that may reject an order of ``organization`` (its own supplier holding cancel_order)."""
    return SUPPLIER if organization == OURS else BY_NAME["other_supplier"]
