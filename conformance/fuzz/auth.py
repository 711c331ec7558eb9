"""The Schemathesis auth provider that signs fuzzed requests with the run's ``supplier`` token.

The token is never written into the spec or the settings: the provider reads it from the credentials the
fuzz session binds for the run, and sends the docs' header ``Authorization: Token <token>``.
"""

from __future__ import annotations

from schemathesis import AuthContext, Case
from schemathesis.schemas import BaseSchema

AUTH_HEADER = "Authorization"
AUTH_SCHEME = "Token"

_active_token: str | None = None


def bind_token(token: str | None) -> None:
    """Make ``token`` the one the provider sends (None: send no credentials)."""
    global _active_token
    _active_token = token


def authorization_value(token: str) -> str:
    """The ``Authorization`` header value the docs prescribe for ``token``."""
    return f"{AUTH_SCHEME} {token}"


class SupplierTokenAuth:
    """A Schemathesis auth provider: ``get`` returns the bound token, ``set`` puts it on the case."""

    def get(self, case: Case, context: AuthContext) -> str | None:
        """Return the run's supplier token, or None before a session has bound one."""
        return _active_token

    def set(self, case: Case, data: str, context: AuthContext) -> None:
        """Send ``data`` as ``Authorization: Token <data>``."""
        case.headers = dict(case.headers or {})
        case.headers[AUTH_HEADER] = authorization_value(data)


def install_auth(schema: BaseSchema) -> BaseSchema:
    """Register ``SupplierTokenAuth`` on ``schema`` (uncached: a rebound token applies at once)."""
    schema.auth(refresh_interval=None)(SupplierTokenAuth)
    return schema
