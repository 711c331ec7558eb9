"""The data of the TIMP order-cancellation slice: organizations, their users and permissions, tokens, orders.

An order belongs to one retailer organization; each line item names the supplier organization that
fulfils it. A supplier sees an order when at least one of its line items is the supplier's. The
order-level cancellation (``Order.cancellation``) and item-level cancellations
(``LineItem.cancellation``) move ``none → pending → confirmed | rejected``; every move is one
conditional UPDATE in ``transitions.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class OrgType(models.TextChoices):
    """The two kinds of organization the docs know."""

    RETAILER = "RETAILER"
    SUPPLIER = "SUPPLIER"


class Visibility(models.TextChoices):
    """Which organization type a permission applies to (docs: RETAILER, SUPPLIER or BOTH)."""

    RETAILER = "RETAILER"
    SUPPLIER = "SUPPLIER"
    BOTH = "BOTH"


class Cancellation(models.TextChoices):
    """The state of a cancellation request."""

    NONE = "none"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class LineItemStatus(models.TextChoices):
    """A line item's status as the order detail shows it (docs: line_item.md)."""

    UNALLOCATED = "Unallocated"
    ALLOCATED = "Allocated"
    REJECTED = "Rejected"
    HAS_TRACKING = "HasTracking"
    BACKORDERED = "Backordered"
    CANCELLED = "Cancelled"


class Organization(models.Model):
    """A retailer or supplier organization."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    org_type = models.CharField(max_length=8, choices=OrgType.choices)

    def __str__(self) -> str:
        return f"{self.name} ({self.org_type})"


class Permission(models.Model):
    """One permission from the docs' list (``_documentation/permissions.md``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=64, unique=True)
    display_name = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    grouping = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.name


class OrgUser(models.Model):
    """A Django user's membership of one organization, with the permissions assigned to it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_user")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    permissions = models.ManyToManyField(Permission, blank=True, related_name="holders")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class AuthToken(models.Model):
    """An API token (``Authorization: Token <key>``) with a fixed expiry time set when it is issued."""

    key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens")
    created = models.DateTimeField()
    expires = models.DateTimeField()

    def __str__(self) -> str:
        return f"token of {self.user} (expires {self.expires:%Y-%m-%d %H:%M})"


class SeededCredential(models.Model):
    """Which secret (token key or session key) the seed handed out for each role, so seeding is idempotent."""

    role = models.CharField(max_length=40, primary_key=True)
    secret = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.role


class Order(models.Model):
    """An order a retailer placed, with its order-level cancellation state."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    po_number = models.CharField(max_length=100)
    retailer = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="orders")
    submitted_by = models.ForeignKey(OrgUser, null=True, blank=True, on_delete=models.SET_NULL)
    created_date = models.DateTimeField(auto_now_add=True)
    address = models.JSONField(default=dict)
    order_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    order_tax = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    shipping_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    dropship_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    retailer_notes = models.TextField(null=True, blank=True)
    retailer_attributes = models.JSONField(null=True, blank=True)
    sent_to_supplier = models.BooleanField(default=False)
    cancellation = models.CharField(max_length=10, choices=Cancellation.choices, default=Cancellation.NONE)

    def __str__(self) -> str:
        return f"order {self.uuid} ({self.cancellation})"


class LineItem(models.Model):
    """One SKU line of an order, fulfilled by one supplier organization."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="line_items")
    supplier = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="line_items")
    sku_id = models.CharField(max_length=100)
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=LineItemStatus.choices, default=LineItemStatus.UNALLOCATED)
    cancellation = models.CharField(max_length=10, choices=Cancellation.choices, default=Cancellation.NONE)
    sku_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    shipping_carrier = models.CharField(max_length=100, null=True, blank=True)
    shipping_method = models.CharField(max_length=100, null=True, blank=True)
    instructions = models.TextField(null=True, blank=True)
    retailer_attributes = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"line item {self.uuid} ({self.status})"
