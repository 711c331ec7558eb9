"""Turns a model request into a real one sent through the run's ``Client`` (rate cap and budget apply).

An actor's credential travels as the model says (``Authorization`` value, query parameter, session
cookie); ``{token}`` becomes the role's secret, ``{unknown}`` a token no target issued. Every exchange is
recorded and redacted by the client; ``reproduce`` renders its curl command with the role's secret as a
``${CRUX_…}`` placeholder.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from conformance.checks.exact import send_exact
from conformance.client import Client, Exchange
from conformance.curl import curl_command
from conformance.model.actors import SESSION, Actor
from conformance.model.requests import BODY_BY_NAME, Request
from conformance.probes import detail_path
from conformance.redaction import MASK

#: A token no target issued, the same for the whole process (the shape of a DRF token).
UNKNOWN_TOKEN = secrets.token_hex(20)
#: Beyond the warm-up requests' own timeouts, how long a group's barrier waits for its slowest thread.
BARRIER_SLACK_SECONDS = 5.0


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
    """Send the members from one thread each, released together by one barrier (every wait bounded).

    Each thread first opens its connection with a cheap GET of a random order's detail, so the barrier
    releases requests, not TCP handshakes.
    """
    barrier = threading.Barrier(len(members), timeout=client.timeouts.longest_request() + BARRIER_SLACK_SECONDS)

    def one(member: tuple[Actor, Request]) -> Exchange:
        client.request("GET", detail_path(uuid_text), role="supplier", record=False)
        barrier.wait()
        return send(client, member[0], member[1], uuid_text)

    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        return list(pool.map(one, members))


def read_detail(client: Client, uuid_text: str, role: str) -> Exchange:
    """``GET /timp/orders/{uuid}/`` as ``role``."""
    return client.request("GET", detail_path(uuid_text), role=role)


def reproduce(exchange: Exchange, role: str | None) -> str:
    """A curl command re-sending ``exchange``; the masked secret becomes ``role``'s ``${CRUX_…}`` variable."""
    secrets_by_role = {role or "supplier": MASK}
    return curl_command(exchange.method, exchange.url, exchange.request_headers, exchange.request_body or None,
                        secrets_by_role)  # fmt: skip
