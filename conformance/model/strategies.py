"""Hypothesis strategies for the model's actors, requests and groups: one variation at a time, mostly.

A request varies the plain one (``supplier`` rejecting with PATCH, the canonical identifier, no body, the
trailing slash) in one dimension, chosen first (actor, spelling, body, method, slash), and sometimes in
a second one, so every cell next to the plain one is reached within a small budget while combinations
still occur. Weights are integers; Hypothesis shrinks every choice towards the first, plainest value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from hypothesis import strategies as st

from conformance.model.actors import Actor
from conformance.model.requests import AROUND_THE_UUID, CONFIRM_PROBE, METHODS, SPELLINGS, Request
from conformance.model.states import PROVIDER_STATES

T = TypeVar("T")

ACTOR_WEIGHTS: dict[str, int] = {
    "supplier_no_permission": 8, "other_supplier": 8, "retailer": 8, "unknown_token": 8, "anonymous": 3,
    "expired": 3, "token_two_values": 4, "token_alone": 1, "bearer_unknown": 1, "basic": 1,
    "empty_authorization": 1, "query_token": 1, "query_auth_token": 1, "query_access_token": 1, "query_key": 1,
    "session_cookie": 3,
}  # fmt: skip
#: Spelling classes the issue names on their own (braces, hyphenless, urn:uuid:, surrounding whitespace,
#: trailing junk) weigh more than the rest of REJ-021's catalogue.
NAMED_CLASSES = ("braces", "hyphens-missing", "urn-uuid", "leading-space", "trailing-space", "trailing-newline",
                 "one-char-long", "trailing-dot")  # fmt: skip
SPELLING_WEIGHTS: dict[str, int] = {
    spelling.name: 15 if spelling.kind == "uppercase" else 6 if spelling.name in NAMED_CLASSES
    else 3 if spelling.name in AROUND_THE_UUID else 1
    for spelling in SPELLINGS
    if spelling.kind != "canonical"
}  # fmt: skip
#: A body of another media type weighs more: it is the one a server may act on while refusing (415).
BODY_WEIGHTS = {"json-empty-object": 2, "json-unknown-fields": 2, "json-invalid": 2, "text-plain": 3}
#: How often each dimension is the one varied (the rest: the plain request itself, which the scenario's
#: settling rejects and the refusals rule also send).
DIMENSION_WEIGHTS = {"plain": 6, "actor": 26, "spelling": 30, "body": 22, "method": 10, "slash": 6}
SECOND_VARIATION = (85, 15)  # weights of: one variation, two variations
#: Provider states: pending ones most, since most cells differ from their neighbours there.
STATE_WEIGHTS = {
    "a pending order cancellation": 8,
    "a rejected order cancellation": 4,
    "an order without a cancellation request": 2,
    "a confirmed order cancellation": 3,
    "another supplier's pending order cancellation": 3,
}
GROUP_SPELLINGS = {"canonical": 45, "uppercase": 30, **{name: 1 for name in AROUND_THE_UUID}}
GROUP_BODIES = {"none": 60, "json-empty-object": 20, "json-unknown-fields": 20}


def weighted(choices: Sequence[tuple[T, int]]) -> st.SearchStrategy[T]:
    """Pick a value with probability proportional to its weight; shrinks towards the first choice."""
    table: list[T] = [value for value, weight in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).map(table.__getitem__)


def provider_states(names: Sequence[str]) -> st.SearchStrategy[str]:
    """The provider states the run can set up, pending ones first."""
    return weighted([(name, STATE_WEIGHTS.get(name, 1)) for name in names if name in PROVIDER_STATES])


def _varied(available: Sequence[Actor], supplier: Actor, dimension: str) -> st.SearchStrategy[tuple[Actor, dict]]:
    if dimension == "actor":
        others = [(actor, ACTOR_WEIGHTS.get(actor.name, 1)) for actor in available if actor.name != "supplier"]
        return weighted(others).map(lambda actor: (actor, {})) if others else st.just((supplier, {}))
    if dimension == "spelling":
        return weighted(list(SPELLING_WEIGHTS.items())).map(lambda name: (supplier, {"spelling": name}))
    if dimension == "body":
        return weighted(list(BODY_WEIGHTS.items())).map(lambda name: (supplier, {"body": name}))
    if dimension == "method":
        return st.sampled_from(METHODS[1:]).map(lambda method: (supplier, {"method": method}))
    if dimension == "slash":
        return st.just((supplier, {"slash": False}))
    return st.just((supplier, {}))


def single(available: Sequence[Actor], supplier: Actor) -> st.SearchStrategy[tuple[Actor, Request]]:
    """One generated (actor, request): the plain one varied in one dimension, sometimes two."""
    dimensions = weighted(list(DIMENSION_WEIGHTS.items()))

    def build(first: str, second: str, twice: bool) -> st.SearchStrategy[tuple[Actor, Request]]:
        chosen = [first, second] if twice and second != first else [first]
        parts = st.tuples(*(_varied(available, supplier, dimension) for dimension in chosen))

        def combine(found: tuple[tuple[Actor, dict], ...]) -> tuple[Actor, Request]:
            actor, fields = supplier, {}
            for part_actor, part_fields in found:
                actor = part_actor if part_actor is not supplier else actor
                fields.update(part_fields)
            return actor, replace(Request(), **fields)

        return parts.map(combine)

    twice = weighted([(False, SECOND_VARIATION[0]), (True, SECOND_VARIATION[1])])
    return st.tuples(dimensions, dimensions, twice).flatmap(lambda choice: build(*choice))


def refusals(available: Sequence[Actor], supplier: Actor) -> st.SearchStrategy[tuple[Actor, Request]]:
    """A request the contract refuses on any order: another actor's plain reject, or another method."""
    dimension = weighted([("actor", 4), ("method", 1)])
    return dimension.flatmap(lambda name: _varied(available, supplier, name)).map(
        lambda found: (found[0], replace(Request(), **found[1]))
    )


def group_members(available: Sequence[Actor], supplier: Actor) -> st.SearchStrategy[tuple[Actor, Request]]:
    """One member of a simultaneous group: mostly the supplier's rejects (several spellings, bodies) and
    confirms, sometimes any actor's plain reject."""
    rejects = st.builds(
        Request,
        spelling=weighted(list(GROUP_SPELLINGS.items())),
        body=weighted(list(GROUP_BODIES.items())),
    ).map(lambda request: (supplier, request))
    confirms = st.just((supplier, CONFIRM_PROBE))
    others = [(actor, ACTOR_WEIGHTS.get(actor.name, 1)) for actor in available if actor.name != "supplier"]
    anyone = weighted(others).map(lambda actor: (actor, Request())) if others else confirms
    return weighted([(0, 5), (1, 2), (2, 2)]).flatmap(lambda kind: (rejects, confirms, anyone)[kind])
