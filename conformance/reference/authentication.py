"""Token authentication with expiry: ``Authorization: Token <key>``, keys expire (default two hours)."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

_KEY_SHAPE = re.compile(r"[0-9A-Za-z]{1,40}")


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication against ``AuthToken``, refusing expired keys with 401."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """Return ``(user, token)`` for a known, unexpired key; raise AuthenticationFailed otherwise."""
        from conformance.reference.models import AuthToken

        if not _KEY_SHAPE.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        # The organization membership comes along, so the permission checks need no query of their own.
        token = AuthToken.objects.select_related("user__org_user__organization").filter(key=key).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expires <= timezone.now():
            raise exceptions.AuthenticationFailed("Token has expired.")
        return (token.user, token)
