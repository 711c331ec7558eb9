"""Supplier endpoints: confirm or reject an order's (or a line item's) cancellation.

Order of checks, the same for all four: method (405), authentication (401), organization type
(409 for retailers), permission ``cancel_order`` (403), body (400/415), lookup among the
supplier's own orders (404, also for other organizations' orders), state (422 unless pending).
Success is 200 with ``{"order_uuid"|"line_item_uuid": ..., "messages": []}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from conformance.reference import transitions
from conformance.reference.models import LineItem, Order, OrgType
from conformance.reference.permissions import requires_org_type, requires_permission
from conformance.reference.views.base import MethodFirstAPIView, NotActionable, read_json_body


class _SupplierCancellationView(MethodFirstAPIView):
    """PATCH on one order's cancellation by a supplier holding ``cancel_order``."""

    permission_classes = (IsAuthenticated, requires_org_type(OrgType.SUPPLIER), requires_permission("cancel_order"))
    transition: Callable[[Order], bool]

    def patch(self, request: Any, order_uuid: UUID) -> Response:
        """Apply this view's transition to the order, if it is the supplier's and pending."""
        read_json_body(request)
        supplier = request.org_user.organization
        order = Order.objects.filter(uuid=order_uuid, line_items__supplier=supplier).distinct().first()
        if order is None:
            raise NotFound()
        if not type(self).transition(order):
            raise NotActionable("The order has no pending cancellation request.")
        return Response({"order_uuid": str(order.uuid), "messages": []})


class ConfirmOrderCancellationView(_SupplierCancellationView):
    """``PATCH /timp/orders/cancel/<order_uuid>/confirm/``: the order becomes cancelled."""

    transition = staticmethod(transitions.confirm_order_cancellation)


class RejectOrderCancellationView(_SupplierCancellationView):
    """``PATCH /timp/orders/cancel/<order_uuid>/reject/``: the order stays, the request is declined."""

    transition = staticmethod(transitions.reject_order_cancellation)


class _SupplierItemCancellationView(MethodFirstAPIView):
    """PATCH on one line item's cancellation by its supplier holding ``cancel_order``."""

    permission_classes = (IsAuthenticated, requires_org_type(OrgType.SUPPLIER), requires_permission("cancel_order"))
    transition: Callable[[LineItem], bool]

    def patch(self, request: Any, item_uuid: UUID) -> Response:
        """Apply this view's transition to the line item, if it is the supplier's and pending."""
        read_json_body(request)
        item = LineItem.objects.filter(uuid=item_uuid, supplier=request.org_user.organization).first()
        if item is None:
            raise NotFound()
        if not type(self).transition(item):
            raise NotActionable("The line item has no pending cancellation request.")
        return Response({"line_item_uuid": str(item.uuid), "messages": []})


class ConfirmItemCancellationView(_SupplierItemCancellationView):
    """``PATCH /timp/orders/items/cancel/<order_item_uuid>/confirm/``: the item becomes Cancelled."""

    transition = staticmethod(transitions.confirm_item_cancellation)


class RejectItemCancellationView(_SupplierItemCancellationView):
    """``PATCH /timp/orders/items/cancel/<order_item_uuid>/reject/``: the item stays."""

    transition = staticmethod(transitions.reject_item_cancellation)
