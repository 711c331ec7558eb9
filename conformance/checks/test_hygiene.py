"""REJ-053/054: every response the suite received has a sound Content-Type and a documented status.

Both are audits: they run after the other checks and judge every recorded exchange, after sending a
small representative set of their own (so they judge something even when run alone).
"""

from __future__ import annotations

import uuid

import pytest

from conformance.checks._support import DOCUMENTED_STATUSES, audit
from conformance.checks.cut_bodies import not_judged
from conformance.client import Client, Exchange
from conformance.hygiene import content_problem
from conformance.probes import detail_path, reject_path

pytestmark = [pytest.mark.audit, pytest.mark.smoke]


def representative_requests(client: Client) -> None:
    """Requests that change nothing: unknown, malformed and unauthenticated rejects, a GET, the detail."""
    unknown = str(uuid.uuid4())
    client.request("PATCH", reject_path(unknown), role="supplier")
    client.request("PATCH", reject_path("not-a-uuid"), role="supplier")
    client.request("PATCH", reject_path(unknown))
    client.request("GET", reject_path(unknown), role="supplier")
    client.request("GET", detail_path(unknown), role="supplier")


def body_problem(exchange: Exchange) -> str | None:
    """REJ-053's rule (``conformance.hygiene``) applied to one recorded exchange (a body cut short: type only)."""
    return content_problem(
        exchange.status, exchange.body, exchange.header("content-type"), truncated=exchange.body_cut is not None
    )


def status_problem(exchange: Exchange) -> str | None:
    """Name a 5xx or a status the docs do not list."""
    if exchange.status >= 500:
        return f"server error {exchange.status}"
    if exchange.status not in DOCUMENTED_STATUSES:
        return f"undocumented status {exchange.status}"
    return None


@pytest.mark.requirement("REJ-053")
def test_rej_053_every_body_is_typed_and_json_parses(client, recorder):
    """Every response body has a Content-Type; a body declared JSON parses as JSON."""
    representative_requests(client)
    audit(recorder.labelled(), body_problem)
    not_judged(recorder.labelled(), lambda exchange: exchange.is_json, "their JSON could not be parsed")


@pytest.mark.requirement("REJ-054")
def test_rej_054_every_status_is_documented(client, recorder):
    """Every status received is documented (the docs' table plus 301/308/414/429); 5xx always fails."""
    representative_requests(client)
    audit(recorder.labelled(), status_problem)
