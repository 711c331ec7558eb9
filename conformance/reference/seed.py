"""Seed the reference: the docs' permissions, one retailer and two supplier organizations, a user per role,
and the credentials of CONTRACT.md's roles.

Idempotent: every call checks what exists and repairs only what is missing or no longer fits
(a token about to expire, a session that stopped matching its user), so servers started one after
another in a process (or processes sharing a ``DATABASE_URL``) keep handing out the same credentials.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from conformance.reference.models import (
    AuthToken,
    Organization,
    OrgType,
    OrgUser,
    Permission,
    SeededCredential,
    Visibility,
)
from conformance.reference.roles import OTHER_SUPPLIER_ORG_UUID, RETAILER_ORG_UUID, ROLES, SUPPLIER_ORG_UUID
from conformance.reference.tokens import issue_expired_token, issue_token, token_lifetime

_PERMISSIONS: dict[str, tuple[str, str]] = {
    # name: (visibility, grouping), from _documentation/permissions.md
    "view_org_users": (Visibility.BOTH, "ORGUSERS"),
    "edit_org_users": (Visibility.BOTH, "ORGUSERS"),
    "view_org_subscription_plan": (Visibility.BOTH, "SUBSCRIPTION"),
    "edit_org_subscription_plan": (Visibility.BOTH, "SUBSCRIPTION"),
    "view_payment_info": (Visibility.BOTH, "PAYMENT"),
    "edit_payment_info": (Visibility.BOTH, "PAYMENT"),
    "view_billing_statement": (Visibility.BOTH, "PAYMENT"),
    "view_notifications_settings": (Visibility.BOTH, "NOTIFICATIONS"),
    "edit_email_notifications_preferences": (Visibility.BOTH, "NOTIFICATIONS"),
    "cancel_order": (Visibility.BOTH, "ORDERS"),
    "view_order": (Visibility.BOTH, "ORDERS"),
    "export_order": (Visibility.BOTH, "ORDERS"),
    "view_items": (Visibility.BOTH, "ITEMS"),
    "create_order": (Visibility.RETAILER, "ORDERS"),
    "view_inventory_lists": (Visibility.RETAILER, "ITEMS"),
    "edit_inventory_lists": (Visibility.RETAILER, "ITEMS"),
    "edit_items": (Visibility.SUPPLIER, "ITEMS"),
    "add_order_tracking": (Visibility.SUPPLIER, "ORDERS"),
    "allocate_order": (Visibility.SUPPLIER, "ORDERS"),
    "view_supplier_catalogs": (Visibility.SUPPLIER, "CATALOGS"),
    "edit_supplier_catalogs": (Visibility.SUPPLIER, "CATALOGS"),
}


@dataclass(frozen=True)
class _Account:
    username: str
    org_uuid: UUID
    withheld: frozenset[str] = frozenset()


_ACCOUNTS: dict[str, _Account] = {
    "supplier": _Account("supplier@supplier.example", SUPPLIER_ORG_UUID),
    "supplier_no_permission": _Account(
        "no-permission@supplier.example", SUPPLIER_ORG_UUID, frozenset({"cancel_order"})
    ),
    "other_supplier": _Account("supplier@other-supplier.example", OTHER_SUPPLIER_ORG_UUID),
    "retailer": _Account("retailer@retailer.example", RETAILER_ORG_UUID),
}
_ORGANIZATIONS = {
    RETAILER_ORG_UUID: ("projectthanos", OrgType.RETAILER),
    SUPPLIER_ORG_UUID: ("Stevens, Smith and Krause", OrgType.SUPPLIER),
    OTHER_SUPPLIER_ORG_UUID: ("Other Supplier Co.", OrgType.SUPPLIER),
}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Seeded:
    """What the seed hands out: credentials per role, and the login of each user role."""

    credentials: dict[str, str]
    logins: dict[str, tuple[str, str]]


def password_for(username: str) -> str:
    """The seeded user's password, derived from SECRET_KEY (never stored, never printed)."""
    return salted_hmac("crux-reference-password", username).hexdigest()[:32]


def seed() -> Seeded:
    """Create or repair everything the reference needs; return the credentials of every role."""
    with _LOCK, transaction.atomic():
        permissions = _seed_permissions()
        organizations = {
            org_uuid: Organization.objects.get_or_create(uuid=org_uuid, defaults={"name": name, "org_type": kind})[0]
            for org_uuid, (name, kind) in _ORGANIZATIONS.items()
        }
        users = {role: _seed_user(account, organizations, permissions) for role, account in _ACCOUNTS.items()}
        credentials = {role: _seed_token(role, user) for role, user in users.items()}
        credentials["expired"] = _seed_token("expired", users["supplier"], expired=True)
        credentials["session_id"] = _seed_session(users["supplier"])
    logins = {role: (account.username, password_for(account.username)) for role, account in _ACCOUNTS.items()}
    return Seeded(credentials={role: credentials[role] for role in ROLES}, logins=logins)


def _seed_permissions() -> dict[str, Permission]:
    existing = {permission.name: permission for permission in Permission.objects.all()}
    for name, (visibility, grouping) in _PERMISSIONS.items():
        if name not in existing:
            existing[name] = Permission.objects.create(
                name=name,
                display_name=name.replace("_", " ").title(),
                description=f"Ability to {name.replace('_', ' ')}",
                visibility=visibility,
                grouping=grouping,
            )
    return existing


def _seed_user(account: _Account, organizations: dict[UUID, Organization], permissions: dict[str, Any]) -> User:
    user, _ = User.objects.get_or_create(username=account.username, defaults={"email": account.username})
    password = password_for(account.username)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    organization = organizations[account.org_uuid]
    member, _ = OrgUser.objects.get_or_create(user=user, defaults={"organization": organization})
    wanted = {
        permission
        for name, permission in permissions.items()
        if permission.visibility in (Visibility.BOTH, organization.org_type) and name not in account.withheld
    }
    if set(member.permissions.all()) != wanted:
        member.permissions.set(wanted)
    return user


def _seed_token(role: str, user: User, *, expired: bool = False) -> str:
    """Return the role's token key, issuing a new one unless the stored one still fits."""
    now = timezone.now()
    margin = min(timedelta(minutes=10), token_lifetime() / 2)
    stored = SeededCredential.objects.filter(role=role).first()
    token = AuthToken.objects.filter(key=stored.secret, user=user).first() if stored else None
    fits = token is not None and (token.expires <= now if expired else token.expires > now + margin)
    if not fits:
        token = issue_expired_token(user) if expired else issue_token(user)
        SeededCredential.objects.update_or_create(role=role, defaults={"secret": token.key})
    return token.key


def _seed_session(user: User) -> str:
    """Return the key of a live Django session of ``user``, creating one unless the stored one still fits."""
    stored = SeededCredential.objects.filter(role="session_id").first()
    if stored:
        session = SessionStore(session_key=stored.secret)
        if (
            session.get(SESSION_KEY) == str(user.pk)
            and session.get(HASH_SESSION_KEY) == user.get_session_auth_hash()
        ):
            return stored.secret
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    SeededCredential.objects.update_or_create(role="session_id", defaults={"secret": session.session_key})
    return session.session_key
