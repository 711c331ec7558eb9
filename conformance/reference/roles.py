"""The seeded identities, importable without Django: CONTRACT.md's roles and the organizations' UUIDs."""

from __future__ import annotations

from uuid import UUID

ROLES = ("supplier", "supplier_no_permission", "other_supplier", "retailer", "expired", "session_id")
"""CONTRACT.md's credential roles, in its order (the keys of ``ReferenceServer.credentials``)."""

RETAILER_ORG_UUID = UUID("ebf3657c-2abb-4aff-be70-69082acc9302")
"""The retailer of the docs' order detail example ("projectthanos")."""

SUPPLIER_ORG_UUID = UUID("d6ac857d-c844-4312-8485-6d121d065308")
"""The supplier of the docs' create-order example, so that example's body works as documented."""

OTHER_SUPPLIER_ORG_UUID = UUID("5a0f6c2e-9b1d-4e8a-a7c3-2f4d6b8e0a13")
"""A second supplier organization, owner of ``other_supplier``'s orders."""
