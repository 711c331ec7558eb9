"""The model as a table a vendor can implement against: actor x order x request class -> the allowed answers.

``rows()`` walks every actor, every kind of order (each cancellation state of the supplier's own orders,
another organization's pending one, one that does not exist) and one request per class (the plain reject,
each identifier spelling class, each body, each other method, the unslashed URL, the confirm probe).
``digest()`` is the sha256 of the JSON rendering: the certificate names it, so a verdict says which model
judged it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from conformance.model.actors import ACTORS
from conformance.model.expect import expect
from conformance.model.requests import CONFIRM_PROBE, METHODS, Request
from conformance.model.states import CANCELLATION_STATES, OURS, THEIRS, UNKNOWN, Order

#: One representative request per request class.
REQUEST_CLASSES: tuple[tuple[str, Request], ...] = (
    ("PATCH reject", Request()),
    ("uppercase identifier", Request(spelling="uppercase")),
    ("percent-encoded identifier", Request(spelling="percent-encoded")),
    ("malformed identifier (REJ-021 catalogue)", Request(spelling="braces")),
    *((f"body {name}", Request(body=name)) for name in ("json-empty-object", "json-unknown-fields", "json-invalid",
                                                         "text-plain")),
    *((f"{method} reject", Request(method=method)) for method in METHODS[1:]),
    ("PATCH reject without trailing slash", Request(slash=False)),
    ("PATCH confirm (the probe)", CONFIRM_PROBE),
)  # fmt: skip
#: Each kind of order the table covers.
ORDERS: tuple[tuple[str, Order], ...] = (
    *((f"{state} (supplier's)", Order(state, OURS)) for state in CANCELLATION_STATES),
    ("pending (another supplier's)", Order("pending", THEIRS)),
    ("no such order", UNKNOWN),
)


@dataclass(frozen=True)
class Row:
    """One cell of the model."""

    actor: str
    order: str
    request: str
    statuses: tuple[int, ...]
    next_states: tuple[str, ...]
    requirements: tuple[str, ...]


def rows() -> list[Row]:
    """Every cell of the table, actor by actor."""
    found = []
    for actor in ACTORS:
        for order_name, order in ORDERS:
            for request_name, request in REQUEST_CLASSES:
                cell = expect(order, actor, request)
                found.append(
                    Row(
                        actor.name,
                        order_name,
                        request_name,
                        tuple(sorted(cell.statuses)),
                        tuple(sorted({state for _, state in cell.outcomes})) if order.exists else ("-",),
                        cell.requirements,
                    )
                )
    return found


def as_json() -> str:
    """The table as JSON (stable: sorted keys, one document)."""
    return json.dumps({"rows": [row.__dict__ for row in rows()]}, sort_keys=True, indent=1)


def as_markdown() -> str:
    """The table as Markdown."""
    lines = [
        "| actor | order | request | allowed statuses | state after | requirements |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows():
        lines.append(
            f"| {row.actor} | {row.order} | {row.request} | {', '.join(map(str, row.statuses))} "
            f"| {' or '.join(row.next_states)} | {', '.join(row.requirements)} |"
        )
    return "\n".join(lines) + "\n"


def digest() -> str:
    """sha256 of the table's JSON: names the model that judged a run."""
    return hashlib.sha256(as_json().encode("utf-8")).hexdigest()
