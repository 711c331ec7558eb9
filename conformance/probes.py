"""Reading an order's state the way CONTRACT.md defines it: the order detail and the confirm probe.

"State unchanged" lives here, once. Each probe returns a ``StateProbe`` (its finding) instead of raising, so a check can
record it (REJ-037's ledger) before it asserts. Probes that send a reject or confirm change the state:
call them last in a check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from conformance.client import Client, Exchange

CANCELLED = "Cancelled"


def reject_path(order_uuid: str) -> str:
    """The path of the operation under test."""
    return f"/timp/orders/cancel/{order_uuid}/reject/"


def confirm_path(order_uuid: str) -> str:
    """The path of the sibling confirm operation (the state probe)."""
    return f"/timp/orders/cancel/{order_uuid}/confirm/"


def detail_path(order_uuid: str) -> str:
    """The path of the order detail."""
    return f"/timp/orders/{order_uuid}/"


def is_success(status: int) -> bool:
    """True for any 2xx."""
    return 200 <= status < 300


@dataclass(frozen=True)
class StateProbe:
    """What a state probe found: ``ok`` and, when not, what was expected and what was seen."""

    ok: bool
    expected: str
    detail: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def message(self) -> str:
        """One paragraph saying what state was expected and what the probe saw."""
        return f"expected the order to be {self.expected}; {self.detail}"


@dataclass(frozen=True)
class OrderState:
    """What the order detail says: its line items' statuses (None when the detail could not be read)."""

    exchange: Exchange
    statuses: tuple[str, ...] | None

    @property
    def readable(self) -> bool:
        """True when the detail answered 200 with line items."""
        return self.statuses is not None

    @property
    def cancelled(self) -> bool:
        """True when the order has line items and every one is Cancelled."""
        return bool(self.statuses) and all(status == CANCELLED for status in self.statuses or ())

    @property
    def any_cancelled(self) -> bool:
        """True when at least one line item is Cancelled."""
        return any(status == CANCELLED for status in self.statuses or ())


def order_state(client: Client, order_uuid: str, role: str = "supplier") -> OrderState:
    """Read the order detail as ``role`` (``GET /timp/orders/{uuid}/``) and collect line item statuses."""
    exchange = client.request("GET", detail_path(order_uuid), role=role)
    if exchange.status != 200:
        return OrderState(exchange, None)
    try:
        document = exchange.json()
        items = document["line_items"]  # type: ignore[index]
        statuses = tuple(str(item["status"]) for item in items)
    except (ValueError, KeyError, TypeError):
        return OrderState(exchange, None)
    return OrderState(exchange, statuses)


def _unreadable(state: OrderState, expected: str) -> StateProbe:
    return StateProbe(
        False, expected, "its detail could not be read (200 with line_items expected):\n" + state.exchange.describe()
    )


def still_pending(client: Client, order_uuid: str, role: str = "supplier") -> StateProbe:
    """Probe a supposedly pending cancellation: not cancelled, and ``role`` can still reject it with 2xx.

    This consumes the pending cancellation (it is rejected afterwards).
    """
    expected = "still pending (not cancelled, and a reject by the owner answering 2xx)"
    state = order_state(client, order_uuid, role)
    if not state.readable:
        return _unreadable(state, expected)
    if state.any_cancelled:
        return StateProbe(False, expected, f"its line items are {list(state.statuses or ())}")
    probe = client.request("PATCH", reject_path(order_uuid), role=role)
    if not is_success(probe.status):
        return StateProbe(False, expected, "the probing reject did not succeed:\n" + probe.describe())
    return StateProbe(True, expected)


def settled_not_cancelled(client: Client, order_uuid: str) -> StateProbe:
    """Probe an order that must not be cancelled nor have a pending cancellation (rejected / never asked).

    The detail shows no Cancelled line item, and confirming answers 422 and changes nothing.
    """
    expected = "not cancelled and without a pending cancellation (confirm answering 422)"
    state = order_state(client, order_uuid)
    if not state.readable:
        return _unreadable(state, expected)
    if state.any_cancelled:
        return StateProbe(False, expected, f"its line items are {list(state.statuses or ())}")
    probe = client.request("PATCH", confirm_path(order_uuid), role="supplier")
    if probe.status != 422:
        return StateProbe(False, expected, "the probing confirm did not answer 422:\n" + probe.describe())
    after = order_state(client, order_uuid)
    if not after.readable or after.any_cancelled:
        return StateProbe(
            False,
            expected,
            "after the probing confirm the detail shows it cancelled or unreadable:\n" + after.exchange.describe(),
        )
    return StateProbe(True, expected)


def still_cancelled(client: Client, order_uuid: str) -> StateProbe:
    """Probe an order whose cancellation was confirmed: every line item still Cancelled."""
    expected = "cancelled (every line item Cancelled)"
    state = order_state(client, order_uuid)
    if not state.readable:
        return _unreadable(state, expected)
    if not state.cancelled:
        return StateProbe(False, expected, f"its line items are {list(state.statuses or ())}")
    return StateProbe(True, expected)


def answers(client: Client) -> bool:
    """True when the target answers anything at all (within the run's timeouts)."""
    from conformance.client import NoAnswer

    try:
        client.request("GET", detail_path(str(uuid.uuid4())), role="supplier", record=False)
    except NoAnswer:
        return False
    return True


def preflight(client: Client, provision: Callable[[str], str] | None = None) -> None:
    """Confirm the target answers and accepts the ``supplier`` credential, and that provisioning works.

    ``provision`` (e.g. a state-url provisioner's ``order``) is called once for a pending order.

    Raises TargetError (exit 2) when the target or the provider-state endpoint does not answer, and
    UsageError (exit 4) when the target refuses the configured ``supplier`` credential.
    """
    from conformance.client import NoAnswer
    from conformance.errors import TargetError, UsageError
    from conformance.provisioning.states import PENDING

    path = detail_path(str(uuid.uuid4()))
    try:
        exchange = client.request("GET", path, role="supplier", record=False)
    except NoAnswer as error:  # one true line: DNS, refused, TLS, proxy, timeout or not HTTP (conformance.transport)
        raise TargetError(f"target unreachable: {client.redactor.text(client.base_url)}: {error.reason}") from None
    if exchange.status == 401:
        raise UsageError(
            "the target refused the `supplier` credential (401 on GET /timp/orders/<random uuid>/): "
            "check [credentials] supplier"
        )
    if provision is not None:
        provision(PENDING)  # raises TargetError naming the state when the provider-state endpoint fails
