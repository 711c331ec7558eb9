"""Who may reach the reference's provider-states endpoint: loopback binds, or callers that know its secret.

The endpoint creates orders for anyone who asks, so ``serve`` on a non-loopback interface with provider
states on needs a shared secret (``--provider-states-secret`` or ``CRUX_PROVIDER_STATES_SECRET``). The
suite's state-url provisioner sends it in ``SECRET_HEADER`` (config ``[provisioning] state_secret``),
as Pact lets provider-state setup calls carry auth. ``guard_provider_states`` answers 403 to any
provider-states request without it, before Django sees the request.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from conformance.errors import UsageError
from conformance.state_secret import SECRET_ENVIRONMENT_VARIABLE, SECRET_HEADER

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_ENVIRON_KEY = "HTTP_" + SECRET_HEADER.upper().replace("-", "_")


def is_loopback(host: str) -> bool:
    """True when ``host`` is a loopback address or ``localhost``; names are not resolved (unknown: False)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def require_secret_when_exposed(host: str, provider_states: bool, secret: str | None) -> None:
    """Raise UsageError (exit 4) when provider states would be open to the network without a secret."""
    if provider_states and not secret and not is_loopback(host):
        raise UsageError(
            f"--provider-states on the non-loopback host {host} needs a secret: pass --provider-states-secret "
            f"or set {SECRET_ENVIRONMENT_VARIABLE} (anyone who can reach the port could set up orders)"
        )


def guard_provider_states(app: WSGIApp, path: str, secret: str) -> WSGIApp:
    """Wrap ``app`` so that requests under ``/path`` without ``SECRET_HEADER: secret`` get 403."""
    prefix = "/" + path.strip("/")
    expected = secret.encode("utf-8")

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").rstrip("/") == prefix:
            given = environ.get(_ENVIRON_KEY, "").encode("latin-1", errors="replace")
            if not hmac.compare_digest(given, expected):
                body = f'{{"detail": "provider states need the {SECRET_HEADER} header"}}'.encode()
                start_response(
                    "403 Forbidden", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
                )
                return [body]
        return app(environ, start_response)

    return guarded
