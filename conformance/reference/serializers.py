"""Request validation for create/cancel order, and the order detail representation (docs' field names)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from conformance.reference.models import LineItem, Order

_TEXT = {"required": False, "allow_null": True, "allow_blank": True, "max_length": 500}
_MONEY = {"required": False, "allow_null": True, "max_digits": 12, "decimal_places": 2, "coerce_to_string": False}


class AttributeSerializer(serializers.Serializer):
    """``{"attribute_name": ..., "attribute_value": ...}``."""

    attribute_name = serializers.CharField(max_length=200)
    attribute_value = serializers.CharField(max_length=500, allow_blank=True)


class AddressSerializer(serializers.Serializer):
    """The business address object (``address_business.md``)."""

    name = serializers.CharField(**_TEXT)
    business_name = serializers.CharField(**_TEXT)
    address1 = serializers.CharField(max_length=500)
    address2 = serializers.CharField(**_TEXT)
    city = serializers.CharField(max_length=200)
    state = serializers.CharField(max_length=200)
    postal_code = serializers.CharField(max_length=40)
    phone_number = serializers.CharField(**_TEXT)


class SkuSerializer(serializers.Serializer):
    """One ordered SKU of the create-order request."""

    sku_id = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    supplier_org_uuid = serializers.UUIDField()
    retailer_provided_shipping_carrier = serializers.CharField(**_TEXT)
    retailer_provided_shipping_method = serializers.CharField(**_TEXT)
    retailer_line_item_instructions = serializers.CharField(**_TEXT)
    retailer_provided_sku_cost = serializers.DecimalField(**_MONEY)
    retailer_provided_line_item_attributes = AttributeSerializer(many=True, required=False, allow_null=True)


class CreateOrderSerializer(serializers.Serializer):
    """The create-order request body (``_order_retailer/create_order.md``)."""

    skus = SkuSerializer(many=True, allow_empty=False)
    address = AddressSerializer()
    po_number = serializers.CharField(max_length=100)
    retailer_provided_order_fee = serializers.DecimalField(**_MONEY)
    retailer_provided_tax = serializers.DecimalField(**_MONEY)
    retailer_provided_shipping_cost = serializers.DecimalField(**_MONEY)
    retailer_provided_dropship_fee = serializers.DecimalField(**_MONEY)
    retailer_provided_order_attributes = AttributeSerializer(many=True, required=False, allow_null=True)
    retailer_provided_notes = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class CancelOrderSerializer(serializers.Serializer):
    """The cancel-order request body: ``{"order_uuid": ...}``."""

    order_uuid = serializers.UUIDField()


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _organization(org: Any) -> dict[str, Any]:
    return {"uuid": str(org.uuid), "organization_name": org.name, "order_submitted_by": None}


def line_item_detail(item: LineItem) -> dict[str, Any]:
    """Represent one line item as the order detail does."""
    return {
        "line_item_uuid": str(item.uuid),
        "status": item.status,
        "line_item_designation": None,
        "item_uuid": None,
        "item_name": None,
        "sku_uuid": None,
        "sku_id": item.sku_id,
        "sku_name": None,
        "quantity": item.quantity,
        "supplier_item_notes": None,
        "retailer_item_notes": item.instructions,
        "retailer_provided_sku_cost": _money(item.sku_cost),
        "supplier": _organization(item.supplier),
        "supplier_provided_item_attributes": None,
        "retailer_provided_item_attributes": item.retailer_attributes,
        "tracking": [],
        "allocation": None,
    }


def order_detail(order: Order) -> dict[str, Any]:
    """Represent an order as ``GET /timp/orders/<uuid>/`` does (``_order/get_order_detail.md``)."""
    address = {**order.address, "country": order.address.get("country")}
    return {
        "order_uuid": str(order.uuid),
        "po_number": order.po_number,
        "created_date": order.created_date.isoformat().replace("+00:00", "Z"),
        "address": address,
        "sent_to_supplier": order.sent_to_supplier,
        "retailer": _organization(order.retailer),
        "retailer_provided_order_notes": order.retailer_notes,
        "supplier_provided_order_notes": None,
        "retailer_provided_fees": {
            "order_fee": _money(order.order_fee),
            "order_tax": _money(order.order_tax),
            "shipping_cost": _money(order.shipping_cost),
            "dropship_fee": _money(order.dropship_fee),
        },
        "retailer_provided_order_attributes": order.retailer_attributes,
        "supplier_provided_order_attributes": None,
        "invoices": [],
        "line_items": [line_item_detail(item) for item in order.line_items.select_related("supplier").order_by("pk")],
    }
