"""Cancellation state transitions, each one conditional UPDATE so concurrent requests have one winner.

``UPDATE … WHERE cancellation = 'pending'`` is atomic in SQLite (one writer at a time) and in
PostgreSQL (a concurrent update re-checks the WHERE clause after the first commits), so of N
simultaneous rejects exactly one sees a row count of 1 (REJ-013), and of a confirm and a reject
exactly one wins (REJ-014). Each function returns whether the transition happened.
"""

from __future__ import annotations

from django.db import transaction

from conformance.reference.models import Cancellation, LineItem, LineItemStatus, Order


def request_order_cancellation(order: Order) -> bool:
    """Retailer asks to cancel: none → pending."""
    return Order.objects.filter(pk=order.pk, cancellation=Cancellation.NONE).update(
        cancellation=Cancellation.PENDING
    ) == 1


def confirm_order_cancellation(order: Order) -> bool:
    """Supplier confirms: pending → confirmed, and every line item of the order becomes Cancelled."""
    with transaction.atomic():
        won = Order.objects.filter(pk=order.pk, cancellation=Cancellation.PENDING).update(
            cancellation=Cancellation.CONFIRMED
        ) == 1
        if won:
            LineItem.objects.filter(order_id=order.pk).update(status=LineItemStatus.CANCELLED)
    return won


def reject_order_cancellation(order: Order) -> bool:
    """Supplier rejects: pending → rejected; line items are untouched."""
    return Order.objects.filter(pk=order.pk, cancellation=Cancellation.PENDING).update(
        cancellation=Cancellation.REJECTED
    ) == 1


def request_item_cancellation(item: LineItem) -> bool:
    """Retailer asks to cancel one line item: none → pending (not for an item already Cancelled)."""
    return LineItem.objects.filter(pk=item.pk, cancellation=Cancellation.NONE).exclude(
        status=LineItemStatus.CANCELLED
    ).update(cancellation=Cancellation.PENDING) == 1


def confirm_item_cancellation(item: LineItem) -> bool:
    """Supplier confirms one line item's cancellation: pending → confirmed, status Cancelled."""
    return LineItem.objects.filter(pk=item.pk, cancellation=Cancellation.PENDING).update(
        cancellation=Cancellation.CONFIRMED, status=LineItemStatus.CANCELLED
    ) == 1


def reject_item_cancellation(item: LineItem) -> bool:
    """Supplier rejects one line item's cancellation: pending → rejected."""
    return LineItem.objects.filter(pk=item.pk, cancellation=Cancellation.PENDING).update(
        cancellation=Cancellation.REJECTED
    ) == 1
