"""Users, their secrets, and authentication of a request into a user or a refusal.

Token authentication (``Authorization: Token <key>``) is the only accepted scheme; a
``sessionid`` cookie authenticates safe methods, and unsafe ones only with a matching CSRF
token (which the suite is never given). Query-string tokens are never read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from tests.targets.http_server import Request
from tests.targets.store import OTHER_SUPPLIER_ORG, RETAILER_ORG, SUPPLIER_ORG
from tests.targets.styles import Style

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
QUERY_TOKEN_NAMES = ("token", "auth_token", "access_token", "key")
EXPIRED_MESSAGE = "Token has expired."


@dataclass(frozen=True)
class User:
    """A user: its role name, organization, organization type and cancel_order permission."""

    role: str
    organization: str
    kind: str  # "supplier" or "retailer"
    can_cancel: bool


@dataclass(frozen=True)
class Refusal:
    """Why a request is not authenticated: the status to answer and a message."""

    status: int
    message: str


USERS: dict[str, User] = {
    "supplier": User("supplier", SUPPLIER_ORG, "supplier", can_cancel=True),
    "supplier_no_permission": User("supplier_no_permission", SUPPLIER_ORG, "supplier", can_cancel=False),
    "other_supplier": User("other_supplier", OTHER_SUPPLIER_ORG, "supplier", can_cancel=True),
    "retailer": User("retailer", RETAILER_ORG, "retailer", can_cancel=False),
    "expired": User("expired", SUPPLIER_ORG, "supplier", can_cancel=True),
}


class Accounts:
    """Fresh random secrets for every role, a supplier session, and the authenticator."""

    def __init__(self, style: Style, fault: str | None = None) -> None:
        self._style = style
        self._fault = fault
        self.tokens: dict[str, str] = {role: secrets.token_hex(20) for role in USERS}
        self._users_by_token = {token: USERS[role] for role, token in self.tokens.items()}
        self.session_id = secrets.token_hex(16)
        self.csrf_token = secrets.token_hex(16)

    def credentials(self) -> dict[str, str]:
        """The role -> secret mapping CONTRACT.md's ``[credentials]`` section names."""
        return {**self.tokens, "session_id": self.session_id}

    def authenticate(self, request: Request) -> User | Refusal:
        """Authenticate a request: the Authorization header wins, then the session cookie."""
        header = request.headers.get("Authorization")
        if header is not None:
            return self._by_token_header(header)
        if self._fault == "query-token-accepted":
            for name in QUERY_TOKEN_NAMES:
                user = self._users_by_token.get(request.query.get(name, ""))
                if user is not None:
                    return user
        session = request.cookies.get("sessionid")
        if session is not None and secrets.compare_digest(session, self.session_id):
            return self._by_session(request)
        if self._fault == "anonymous-403":
            return Refusal(403, "Authentication credentials were not provided.")
        return Refusal(401, "Authentication credentials were not provided.")

    def _by_token_header(self, header: str) -> User | Refusal:
        parts = header.split()
        if len(parts) > 2 and parts[0].lower() == "token" and self._fault == "token-extra-words-accepted":
            parts = parts[:2]
        if len(parts) != 2 or parts[0].lower() != "token":
            if self._fault == "malformed-auth-400":
                return Refusal(400, "Malformed Authorization header.")
            return Refusal(401, "Invalid token header.")
        user = self._users_by_token.get(parts[1])
        if user is None:
            if self._fault == "unknown-token-403":
                return Refusal(403, "Invalid token.")
            return Refusal(401, "Invalid token.")
        if user.role == "expired" and self._fault != "expired-token-accepted":
            return Refusal(401, EXPIRED_MESSAGE)
        return user

    def _by_session(self, request: Request) -> User | Refusal:
        user = USERS["supplier"]
        if request.method in SAFE_METHODS:
            return user
        header_token = request.headers.get("X-CSRFToken", "")
        cookie_token = request.cookies.get("csrftoken", "")
        if header_token and header_token == cookie_token == self.csrf_token:
            return user
        if self._fault == "session-without-csrf-accepted":
            return user
        return Refusal(self._style.session_refusal_status, "CSRF Failed: CSRF token missing.")
