"""Issuing API tokens: random 40-hex keys that expire a configured time after issue."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from conformance.reference.models import AuthToken


def token_lifetime() -> timedelta:
    """How long a newly issued token stays valid (setting ``CRUX_TOKEN_LIFETIME_SECONDS``)."""
    return timedelta(seconds=settings.CRUX_TOKEN_LIFETIME_SECONDS)


def issue_token(user: Any) -> AuthToken:
    """Issue a fresh token for ``user``, valid for the configured lifetime from now."""
    now = timezone.now()
    return AuthToken.objects.create(
        key=secrets.token_hex(20), user=user, created=now, expires=now + token_lifetime()
    )


def issue_expired_token(user: Any) -> AuthToken:
    """Issue a token for ``user`` that was valid for its whole lifetime and expired a minute ago."""
    expires = timezone.now() - timedelta(minutes=1)
    return AuthToken.objects.create(
        key=secrets.token_hex(20), user=user, created=expires - token_lifetime(), expires=expires
    )
