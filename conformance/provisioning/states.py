"""The provider states CONTRACT.md names, and the keys the static config uses for them."""

from __future__ import annotations

PENDING = "a pending order cancellation"
WITHOUT_CANCELLATION = "an order without a cancellation request"
REJECTED = "a rejected order cancellation"
CONFIRMED = "a confirmed order cancellation"
OTHER_SUPPLIER_PENDING = "another supplier's pending order cancellation"

#: ``[provisioning.static]`` key -> provider state name.
STATIC_KEYS: dict[str, str] = {
    "pending": PENDING,
    "without_cancellation": WITHOUT_CANCELLATION,
    "rejected": REJECTED,
    "confirmed": CONFIRMED,
    "other_supplier_pending": OTHER_SUPPLIER_PENDING,
}

#: provider state name -> ``[provisioning.static]`` key.
KEY_OF_STATE: dict[str, str] = {state: key for key, state in STATIC_KEYS.items()}

ALL_STATES: tuple[str, ...] = tuple(STATIC_KEYS.values())
