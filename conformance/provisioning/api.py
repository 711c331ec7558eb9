"""Mode ``api``: make each order through the documented API, as a shared environment's users would.

Every order starts with ``POST /timp/orders/create/`` as ``retailer`` (``_order_retailer/create_order.md``:
one SKU of the configured supplier, a placeholder business address, a ``po_number`` starting with the
configured prefix so the suite's orders can be found and cleaned up). Then, by provider state:

- ``an order without a cancellation request``: nothing more;
- ``a pending order cancellation`` and ``another supplier's pending order cancellation`` (the other
  supplier's SKU): ``PATCH /timp/orders/cancel/`` ``{"order_uuid": ...}`` as ``retailer``
  (``_order_retailer/cancel_order.md``);
- ``a rejected order cancellation`` / ``a confirmed order cancellation``: that, then
  ``PATCH /timp/orders/cancel/{uuid}/reject/`` or ``.../confirm/`` as ``supplier``.

``created`` lists every order made (``po_number``, ``order_uuid``, ``state``); ``run`` writes it to
``orders.json`` in the report folder for clean-up. Provisioning requests are not part of the audited
exchanges (like mode ``state-url``), but they go through the run's rate limiter and count against its
request budget.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

import requests

from conformance.errors import TargetError
from conformance.provisioning.base import OrderUnavailable
from conformance.provisioning.states import (
    CONFIRMED,
    OTHER_SUPPLIER_PENDING,
    PENDING,
    REJECTED,
    WITHOUT_CANCELLATION,
)
from conformance.redaction import Redactor
from conformance.transport import ThreadSessions, TransportSettings, describe_failure

if TYPE_CHECKING:
    from collections.abc import Mapping

    from conformance.config import ApiProvisioning, Timeouts

CREATE_PATH = "/timp/orders/create/"
CANCEL_PATH = "/timp/orders/cancel/"
#: A placeholder destination: the suite's orders are never meant to ship.
ADDRESS = {
    "name": "CRUX conformance suite",
    "business_name": "crux-conformance (test order, do not ship)",
    "address1": "1 Test Street",
    "city": "Testville",
    "state": "NY",
    "postal_code": "10112",
}
#: The supplier's follow-up call that settles each state (after the retailer's cancel request).
SETTLE = {REJECTED: "reject", CONFIRMED: "confirm"}
#: One counter per process, so two provisioners of one run (preflight, checks) never repeat a po_number.
_COUNTER = itertools.count(1)
_COUNTER_LOCK = threading.Lock()


class ApiProvisioner:
    """Creates, cancels and settles orders through the documented endpoints; ``order(state) -> uuid``."""

    def __init__(
        self,
        base_url: str,
        credentials: Mapping[str, str],
        settings: ApiProvisioning,
        timeouts: Timeouts,
        redactor: Redactor,
        transport: TransportSettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = dict(credentials)
        self.settings = settings
        self.timeouts = timeouts
        self.redactor = redactor
        self._sessions = ThreadSessions(transport)
        # Unique (start time, process id, the process-wide counter) and short enough for a po_number.
        self._run_tag = f"{int(time.time()):x}-{os.getpid():x}"
        self._created_lock = threading.Lock()
        self.created: list[dict[str, str]] = []  # every order made: po_number, order_uuid, state

    def __repr__(self) -> str:
        return f"ApiProvisioner({self.base_url!r}, po_number_prefix={self.settings.po_number_prefix!r})"

    def _session(self) -> requests.Session:
        return self._sessions.get()

    def po_number(self) -> str:
        """The next ``po_number``: the configured prefix, this run's tag and a counter."""
        with _COUNTER_LOCK:
            number = next(_COUNTER)
        return f"{self.settings.po_number_prefix}{self._run_tag}-{number}"

    def order(self, state: str) -> str:
        """Make one order in ``state``; TargetError (exit 2) names the state and the call that failed."""
        if state == OTHER_SUPPLIER_PENDING:
            supplier = self.settings.other_supplier_organization_uuid
            if not supplier:
                raise OrderUnavailable(
                    "not verified: no [provisioning.api] other_supplier_organization_uuid configured"
                )
            sku = self.settings.other_supplier_sku_id or self.settings.sku_id
        elif state in (PENDING, WITHOUT_CANCELLATION, *SETTLE):
            supplier, sku = self.settings.supplier_organization_uuid, self.settings.sku_id
        else:
            raise ValueError(f"unknown provider state {state!r}")
        po_number = self.po_number()
        order_uuid = self._create(state, supplier, sku, po_number)
        with self._created_lock:
            self.created.append({"po_number": po_number, "order_uuid": order_uuid, "state": state})
        if state == WITHOUT_CANCELLATION:
            return order_uuid
        self._send(state, "PATCH", CANCEL_PATH, "retailer", {"order_uuid": order_uuid}, (200, 201, 202, 204))
        if state in SETTLE:
            path = f"/timp/orders/cancel/{order_uuid}/{SETTLE[state]}/"
            self._send(state, "PATCH", path, "supplier", None, (200, 201, 202, 204))
        return order_uuid

    def create_body(self, supplier_organization_uuid: str, sku_id: str, po_number: str) -> dict[str, Any]:
        """The documented create-order body for one unit of ``sku_id`` from that supplier."""
        return {
            "skus": [{"sku_id": sku_id, "quantity": 1, "supplier_org_uuid": supplier_organization_uuid}],
            "address": dict(ADDRESS),
            "po_number": po_number,
            "retailer_provided_notes": "created by crux-conformance; safe to delete",
        }

    def _create(self, state: str, supplier: str, sku: str, po_number: str) -> str:
        body = self.create_body(supplier, sku, po_number)
        response = self._send(state, "POST", CREATE_PATH, "retailer", body, (200, 201))
        try:
            return str(uuid.UUID(str(response.json()["order_uuid"])))
        except (ValueError, KeyError, TypeError):
            raise TargetError(
                f"provisioning failed for state {state!r}: POST {CREATE_PATH} answered {response.status_code} "
                "without an 'order_uuid' UUID in a JSON body"
            ) from None

    def _send(
        self, state: str, method: str, path: str, role: str, body: object, expected: tuple[int, ...]
    ) -> requests.Response:
        secret = self._credentials.get(role)
        if not secret:
            raise TargetError(f"provisioning failed for state {state!r}: no `{role}` credential configured")
        headers = {"Authorization": f"Token {secret}", "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        shown = f"{method} {self.redactor.text(path)}"
        try:
            response = self._session().request(
                method, self.base_url + path, headers=headers, data=data,
                timeout=self.timeouts.as_tuple(), allow_redirects=False,
            )  # fmt: skip
        except requests.RequestException as error:
            url, timeouts = self.base_url + path, self.timeouts.as_tuple()
            failure = describe_failure(error, url, timeouts=timeouts, proxy=self._sessions.settings.proxy_for(url))
            reason, shown = self.redactor.text(failure), f"{shown} as {role}"
            raise TargetError(f"provisioning failed for state {state!r}: {shown} got no answer: {reason}") from None
        if response.status_code not in expected:
            raise TargetError(
                f"provisioning failed for state {state!r}: {shown} as {role} answered {response.status_code} "
                f"(expected {' or '.join(map(str, expected))}): {self.redactor.text(response.text[:200])!r}"
            )
        return response
