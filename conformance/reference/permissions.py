"""Who may do what: organization type (409 when wrong) and the docs' named permissions (403 when missing).

Views list them after ``IsAuthenticated`` so the order of checks is: authentication (401),
organization type (409), permission (403); the view itself then looks the order up (404) and
moves its state (422).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission


class WrongOrganizationType(APIException):
    """409 "Critical": the requester is not of the correct type (docs' response codes)."""

    status_code = 409
    default_detail = "The requester is not of the correct organization type for this action."
    default_code = "wrong_organization_type"


def org_user_of(user: Any) -> Any:
    """Return the user's ``OrgUser`` membership, or None (anonymous users, users without organization)."""
    from conformance.reference.models import OrgUser

    if not getattr(user, "is_authenticated", False):
        return None
    if OrgUser.user.field.remote_field.is_cached(user):  # fetched with the token
        return getattr(user, "org_user", None)
    return OrgUser.objects.select_related("organization").filter(user=user).first()


def requires_org_type(org_type: str) -> type[BasePermission]:
    """Build a permission class that raises 409 unless the requester's organization is ``org_type``."""

    class RequiresOrgType(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            member = org_user_of(request.user)
            if member is None or member.organization.org_type != org_type:
                raise WrongOrganizationType()
            request.org_user = member
            return True

    RequiresOrgType.__name__ = f"Requires{org_type.title()}"
    return RequiresOrgType


def requires_permission(name: str) -> type[BasePermission]:
    """Build a permission class that refuses with 403 unless the requester holds permission ``name``."""

    class RequiresPermission(BasePermission):
        message = "You do not have permission to perform this action."

        def has_permission(self, request: Any, view: Any) -> bool:
            member = getattr(request, "org_user", None) or org_user_of(request.user)
            if member is None:
                return False
            request.org_user = member
            return member.permissions.filter(name=name).exists()

    RequiresPermission.__name__ = f"Requires_{name}"
    return RequiresPermission
