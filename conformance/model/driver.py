"""Turns a model request into a real one sent through the run's ``Client`` (rate cap and budget apply).

An actor's credential travels as the model says (``Authorization`` value, query parameter, session
cookie); ``{token}`` becomes the role's secret, ``{unknown}`` a token no target issued. Every exchange is
recorded and redacted by the client; ``reproduce`` renders its curl command with the role's secret as a
``${CRUX_…}`` placeholder.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence

from conformance.checks.exact import send_exact
from conformance.client import Client, Exchange
from conformance.curl import curl_command
from conformance.model.actors import SESSION, Actor
from conformance.model.requests import BODY_BY_NAME, Request
from conformance.probes import detail_path
from conformance.redaction import MASK
from conformance.together import release_together

#: A token no target issued, the same for the whole process (the shape of a DRF token).
UNKNOWN_TOKEN = secrets.token_hex(20)


def available(client: Client, actor: Actor) -> bool:
    """True when the run has the credential ``actor`` needs."""
    return actor.role is None or client.has(actor.role)


def send(client: Client, actor: Actor, request: Request, uuid_text: str) -> Exchange:
    """Send ``request`` about the order ``uuid_text`` as ``actor``; return the redacted exchange."""
    headers: dict[str, str] = {}
    path = request.path(uuid_text)
    if actor.authorization is not None:
        value = actor.authorization.replace("{unknown}", UNKNOWN_TOKEN)
        if "{token}" in value:
            value = value.replace("{token}", client.secret(actor.role or "supplier"))
        headers["Authorization"] = value
    if actor.query:
        path += f"?{actor.query}={client.secret(actor.role or 'supplier')}"
    body = BODY_BY_NAME[request.body]
    if body.content_type:
        headers["Content-Type"] = body.content_type
    role = "session_id" if actor.kind == SESSION else None
    # Byte-exact: a spelling the route would rewrite (a proxy normalising dot segments) discards the example.
    return send_exact(client, request.method, path, role=role, headers=headers or None, body=body.data, generated=True)


def send_together(client: Client, members: Sequence[tuple[Actor, Request]], uuid_text: str) -> list[Exchange]:
    """Send the members together (``conformance.together``: one warm thread each, one barrier)."""
    sends = [functools.partial(send, client, actor, request, uuid_text) for actor, request in members]
    warm_up = functools.partial(client.request, "GET", detail_path(uuid_text), role="supplier", record=False)
    return release_together(client, sends, warm_up)


def read_detail(client: Client, uuid_text: str, role: str) -> Exchange:
    """``GET /timp/orders/{uuid}/`` as ``role``."""
    return client.request("GET", detail_path(uuid_text), role=role)


def reproduce(exchange: Exchange, role: str | None) -> str:
    """A curl command re-sending ``exchange``; the masked secret becomes ``role``'s ``${CRUX_…}`` variable."""
    secrets_by_role = {role or "supplier": MASK}
    return curl_command(exchange.method, exchange.url, exchange.request_headers, exchange.request_body or None,
                        secrets_by_role)  # fmt: skip
