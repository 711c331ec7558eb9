"""``POST /timp/organizations/user-login/``: username and password in, a token and account data out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from conformance.reference.models import OrgType, Permission, Visibility
from conformance.reference.permissions import org_user_of
from conformance.reference.tokens import issue_token
from conformance.reference.views.base import MethodFirstAPIView, read_json_body


class LoginSerializer(serializers.Serializer):
    """The login body: ``{"username": ..., "password": ...}``."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class UserLoginView(MethodFirstAPIView):
    """Log in: 200 with ``auth_token`` (expiring after the configured lifetime), 401 for bad credentials."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def post(self, request: Any) -> Response:
        """Check the credentials and answer the docs' login response."""
        body = read_json_body(request)
        serializer = LoginSerializer(data=body if isinstance(body, dict) else {})
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        member = org_user_of(user) if user is not None else None
        if member is None:
            return Response(
                {"detail": "Unable to log in with provided credentials."},
                status=401,
                headers={"WWW-Authenticate": 'Token realm="api"'},
            )
        return Response(_login_answer(member, issue_token(user).key))


def _login_answer(member: Any, key: str) -> dict[str, Any]:
    organization = member.organization
    visible = Permission.objects.filter(visibility__in=[Visibility.BOTH, organization.org_type]).order_by("name")
    assigned = set(member.permissions.values_list("pk", flat=True))
    is_retailer = organization.org_type == OrgType.RETAILER
    return {
        "auth_token": key,
        "org_uuid": str(organization.uuid),
        "user_uuid": str(member.uuid),
        "retailer_uuid": str(organization.uuid) if is_retailer else "",
        "supplier_uuid": "" if is_retailer else str(organization.uuid),
        "org_type": organization.org_type,
        "permission_assignments": {
            "permissions": [
                {
                    "assigned": permission.pk in assigned,
                    "permission": {
                        "uuid": str(permission.uuid),
                        "name": permission.name,
                        "display_name": permission.display_name,
                        "description": permission.description,
                        "visibility": permission.visibility,
                        "grouping": permission.grouping,
                    },
                }
                for permission in visible
            ],
            "org_user": {"uuid": str(member.uuid)},
        },
    }
