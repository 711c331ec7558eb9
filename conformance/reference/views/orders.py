"""Order endpoints: create and cancel (retailer), cancel a line item (retailer), order detail (both sides).

Order of checks as in ``supplier.py``: method (405), authentication (401), organization type (409),
permission (403), body (400/415), lookup within the requester's organization (404), state (422).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from conformance.reference import transitions
from conformance.reference.models import LineItem, Order, Organization, OrgType
from conformance.reference.permissions import requires_org_type, requires_permission
from conformance.reference.serializers import CancelOrderSerializer, CreateOrderSerializer, order_detail
from conformance.reference.views.base import MethodFirstAPIView, NotActionable, read_json_body

_RETAILER = requires_org_type(OrgType.RETAILER)


def _validated(serializer_class: type, request: Any) -> dict[str, Any]:
    body = read_json_body(request)
    if not isinstance(body, dict):
        raise ValidationError({"detail": "The request body must be a JSON object."})
    serializer = serializer_class(data=body)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CreateOrderView(MethodFirstAPIView):
    """``POST /timp/orders/create/``: a retailer with ``create_order`` places an order; 201."""

    permission_classes = (IsAuthenticated, _RETAILER, requires_permission("create_order"))

    def post(self, request: Any) -> Response:
        """Validate the documented body and create the order with one line item per SKU."""
        data = _validated(CreateOrderSerializer, request)
        supplier_uuids = {sku["supplier_org_uuid"] for sku in data["skus"]}
        suppliers = {
            org.uuid: org
            for org in Organization.objects.filter(uuid__in=supplier_uuids, org_type=OrgType.SUPPLIER)
        }
        unknown = sorted(str(u) for u in supplier_uuids - suppliers.keys())
        if unknown:
            raise ValidationError({"skus": [f"Unknown supplier_org_uuid: {', '.join(unknown)}"]})
        with transaction.atomic():
            order = Order.objects.create(
                po_number=data["po_number"],
                retailer=request.org_user.organization,
                submitted_by=request.org_user,
                address=dict(data["address"]),
                order_fee=data.get("retailer_provided_order_fee"),
                order_tax=data.get("retailer_provided_tax"),
                shipping_cost=data.get("retailer_provided_shipping_cost"),
                dropship_fee=data.get("retailer_provided_dropship_fee"),
                retailer_notes=data.get("retailer_provided_notes"),
                retailer_attributes=_plain(data.get("retailer_provided_order_attributes")),
            )
            LineItem.objects.bulk_create(
                LineItem(
                    order=order,
                    supplier=suppliers[sku["supplier_org_uuid"]],
                    sku_id=sku["sku_id"],
                    quantity=sku["quantity"],
                    sku_cost=sku.get("retailer_provided_sku_cost"),
                    shipping_carrier=sku.get("retailer_provided_shipping_carrier"),
                    shipping_method=sku.get("retailer_provided_shipping_method"),
                    instructions=sku.get("retailer_line_item_instructions"),
                    retailer_attributes=_plain(sku.get("retailer_provided_line_item_attributes")),
                )
                for sku in data["skus"]
            )
        return Response({"order_uuid": str(order.uuid), "messages": []}, status=201)


def _plain(attributes: Any) -> list[dict[str, str]] | None:
    return None if attributes is None else [dict(attribute) for attribute in attributes]


class CancelOrderView(MethodFirstAPIView):
    """``PATCH /timp/orders/cancel/``: a retailer with ``cancel_order`` requests its order's cancellation."""

    permission_classes = (IsAuthenticated, _RETAILER, requires_permission("cancel_order"))

    def patch(self, request: Any) -> Response:
        """Move the retailer's order from no cancellation request to a pending one; 422 otherwise."""
        data = _validated(CancelOrderSerializer, request)
        order = Order.objects.filter(uuid=data["order_uuid"], retailer=request.org_user.organization).first()
        if order is None:
            raise NotFound()
        if not transitions.request_order_cancellation(order):
            raise NotActionable("The order already has a cancellation request.")
        return Response({"order_uuid": str(order.uuid), "messages": []})


class CancelOrderItemView(MethodFirstAPIView):
    """``DELETE /timp/orders/items/cancel/<order_item_uuid>/``: a retailer requests one item's cancellation."""

    permission_classes = (IsAuthenticated, _RETAILER, requires_permission("cancel_order"))

    def delete(self, request: Any, item_uuid: UUID) -> Response:
        """Move the line item of the retailer's order to a pending cancellation; 422 otherwise."""
        read_json_body(request)
        item = LineItem.objects.filter(uuid=item_uuid, order__retailer=request.org_user.organization).first()
        if item is None:
            raise NotFound()
        if not transitions.request_item_cancellation(item):
            raise NotActionable("The line item already has a cancellation request or is cancelled.")
        return Response({"line_item_uuid": str(item.uuid), "messages": []})


class OrderDetailView(MethodFirstAPIView):
    """``GET /timp/orders/<uuid>/``: the order for its retailer and its suppliers (``view_order``)."""

    permission_classes = (IsAuthenticated, requires_permission("view_order"))

    def get(self, request: Any, order_uuid: UUID) -> Response:
        """Return the order if the requester's organization is its retailer or one of its suppliers."""
        organization = request.org_user.organization
        order = (
            Order.objects.select_related("retailer")
            .filter(Q(retailer=organization) | Q(line_items__supplier=organization), uuid=order_uuid)
            .distinct()
            .first()
        )
        if order is None:
            raise NotFound()
        return Response(order_detail(order))
