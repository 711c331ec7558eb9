"""Orders in a named state, made directly in the database: the data behind the provider-states endpoint.

The names are CONTRACT.md's, exactly. Every call creates a fresh order (two line items) of the seeded
retailer; ``order_uuid`` may be given to (re)create an order with a known UUID, e.g. the docs' example.
"""

from __future__ import annotations

import secrets
from uuid import UUID

from django.db import transaction

from conformance.reference.models import Cancellation, LineItem, LineItemStatus, Order, Organization
from conformance.reference.roles import OTHER_SUPPLIER_ORG_UUID, RETAILER_ORG_UUID, SUPPLIER_ORG_UUID

STATES: dict[str, tuple[UUID, str]] = {
    "a pending order cancellation": (SUPPLIER_ORG_UUID, Cancellation.PENDING),
    "an order without a cancellation request": (SUPPLIER_ORG_UUID, Cancellation.NONE),
    "a rejected order cancellation": (SUPPLIER_ORG_UUID, Cancellation.REJECTED),
    "a confirmed order cancellation": (SUPPLIER_ORG_UUID, Cancellation.CONFIRMED),
    "another supplier's pending order cancellation": (OTHER_SUPPLIER_ORG_UUID, Cancellation.PENDING),
}
"""State name → (supplier organization of the order, its order-level cancellation)."""

_ADDRESS = {
    "name": "Bob Iger",
    "business_name": "NBC",
    "address1": "30 Rockefeller Plaza",
    "address2": "STE 123",
    "city": "New York",
    "state": "NY",
    "postal_code": "10112",
    "phone_number": "801-555-1212",
}


class UnknownState(ValueError):
    """The state name is not one of ``STATES``."""


def create_order_in_state(state: str, order_uuid: UUID | None = None) -> Order:
    """Create a fresh order in ``state`` (replacing any order with ``order_uuid``); raise UnknownState."""
    if state not in STATES:
        raise UnknownState(state)
    supplier_uuid, cancellation = STATES[state]
    status = LineItemStatus.CANCELLED if cancellation == Cancellation.CONFIRMED else LineItemStatus.UNALLOCATED
    with transaction.atomic():
        if order_uuid is not None:
            Order.objects.filter(uuid=order_uuid).delete()
        retailer = Organization.objects.get(uuid=RETAILER_ORG_UUID)
        supplier = Organization.objects.get(uuid=supplier_uuid)
        fields = {"uuid": order_uuid} if order_uuid is not None else {}
        order = Order.objects.create(
            po_number=f"po-{secrets.randbelow(10**10):010d}",
            retailer=retailer,
            address=dict(_ADDRESS),
            cancellation=cancellation,
            **fields,
        )
        LineItem.objects.bulk_create(
            LineItem(order=order, supplier=supplier, sku_id=sku_id, quantity=quantity, status=status)
            for sku_id, quantity in (("7FZvMyg0BjfewNJJ", 2), ("SKU-2", 1))
        )
    return order
