"""The Schemathesis auth provider that signs fuzzed requests with the run's tokens.

Tokens are never written into the spec or the settings: the provider reads them from the run's binding
(``conformance.fuzz.binding``), and sends the docs' header ``Authorization: Token <token>``. Every
operation under test is the supplier's; the retailer's cancel order (which the stateful phase calls
before a reject, following the spec's links) is signed with the ``retailer`` token.
"""

from __future__ import annotations

from schemathesis import AuthContext, Case
from schemathesis.schemas import BaseSchema

from conformance.fuzz.binding import bound

AUTH_HEADER = "Authorization"
AUTH_SCHEME = "Token"
#: Operations a retailer performs (the stateful phase's link sources).
RETAILER_PATHS = frozenset({"/timp/orders/cancel/", "/timp/orders/create/"})


def bound_token(role: str) -> str | None:
    """The token the running fuzz stage bound for ``role`` (``supplier`` or ``retailer``)."""
    return bound().token(role)


def role_for(path: str) -> str:
    """The credential role that performs the operation at ``path``."""
    return "retailer" if path in RETAILER_PATHS else "supplier"


def authorization_value(token: str) -> str:
    """The ``Authorization`` header value the docs prescribe for ``token``."""
    return f"{AUTH_SCHEME} {token}"


class SupplierTokenAuth:
    """A Schemathesis auth provider: ``get`` returns the bound token, ``set`` puts it on the case."""

    def get(self, case: Case, context: AuthContext) -> str | None:
        """Return the token of the role performing this operation, or None when none is bound."""
        return bound_token(role_for(case.operation.path))

    def set(self, case: Case, data: str, context: AuthContext) -> None:
        """Send ``data`` as ``Authorization: Token <data>``."""
        case.headers = dict(case.headers or {})
        case.headers[AUTH_HEADER] = authorization_value(data)


def install_auth(schema: BaseSchema) -> BaseSchema:
    """Register ``SupplierTokenAuth`` on ``schema`` (uncached: a rebound token applies at once)."""
    schema.auth(refresh_interval=None)(SupplierTokenAuth)
    return schema
