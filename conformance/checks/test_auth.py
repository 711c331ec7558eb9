"""REJ-030..037: authentication. Every refused attempt must also leave the cancellation pending."""

from __future__ import annotations

import base64
import secrets
import uuid

import pytest

from conformance.checks._support import attempt_on_pending, audit, expect_state, expect_status
from conformance.failures import StateChanged
from conformance.probes import reject_path, still_pending
from conformance.provisioning.states import PENDING

pytestmark = pytest.mark.auth


def unknown_token() -> str:
    """A token no target issued (the shape of a DRF token)."""
    return secrets.token_hex(20)


def patch_reject(client, headers: dict[str, str] | None = None, query: str = ""):
    """A ``send(order)`` callable: PATCH the reject URL with exactly these headers (no role)."""
    return lambda order: client.request("PATCH", reject_path(order) + query, headers=headers)


@pytest.mark.smoke
@pytest.mark.destructive
@pytest.mark.requirement("REJ-030")
def test_rej_030_no_authorization_header_answers_401(client, fresh_order, request):
    """No Authorization header answers 401."""
    attempt, _ = attempt_on_pending(client, fresh_order, request, patch_reject(client))
    expect_status(attempt, {401}, "no Authorization header")


@pytest.mark.destructive
@pytest.mark.requirement("REJ-031")
def test_rej_031_unknown_token_answers_401(client, fresh_order, request):
    """``Token <unknown>`` answers 401."""
    headers = {"Authorization": f"Token {unknown_token()}"}
    attempt, _ = attempt_on_pending(client, fresh_order, request, patch_reject(client, headers))
    expect_status(attempt, {401}, "an unknown token")


MALFORMED_HEADERS = (
    ("token-keyword-alone", "Token"),
    ("token-with-two-values", "Token a b"),
    ("bearer-unknown", f"Bearer {unknown_token()}"),
    ("basic", "Basic " + base64.b64encode(b"supplier:password").decode()),
    ("empty-value", ""),
)


@pytest.mark.destructive
@pytest.mark.requirement("REJ-032")
@pytest.mark.parametrize(("name", "value"), MALFORMED_HEADERS, ids=[name for name, _ in MALFORMED_HEADERS])
def test_rej_032_malformed_authorization_answers_401(client, fresh_order, request, name, value):
    """Malformed Authorization headers (``Token`` alone, ``Token a b``, Bearer, Basic, empty) answer 401."""
    headers = {"Authorization": value}
    attempt, _ = attempt_on_pending(client, fresh_order, request, patch_reject(client, headers))
    expect_status(attempt, {401}, f"Authorization header {name}")


@pytest.mark.destructive
@pytest.mark.requirement("REJ-033")
def test_rej_033_expired_token_answers_401(client, fresh_order, request, need_role):
    """The expired (or revoked) token answers 401."""
    need_role("expired")
    attempt, _ = attempt_on_pending(
        client, fresh_order, request, lambda order: client.request("PATCH", reject_path(order), role="expired")
    )
    expect_status(attempt, {401}, "the expired token")


@pytest.mark.audit
@pytest.mark.requirement("REJ-034")
def test_rej_034_every_401_has_www_authenticate(client, recorder):
    """Every 401 the suite received carries a WWW-Authenticate header."""
    client.request("PATCH", reject_path(str(uuid.uuid4())))  # one unauthenticated request of its own
    unauthorized = [(check, exchange) for check, exchange in recorder.labelled() if exchange.status == 401]
    if not unauthorized:
        pytest.skip("not verified: the target answered no 401 in this run")
    audit(
        unauthorized, lambda exchange: None if exchange.header("www-authenticate") else "401 without WWW-Authenticate"
    )


QUERY_NAMES = ("token", "auth_token", "access_token", "key")


@pytest.mark.destructive
@pytest.mark.requirement("REJ-035")
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_rej_035_token_in_query_string_answers_401(client, fresh_order, request, name):
    """A valid token only in the query string answers 401: credentials in URLs are never accepted."""
    query = f"?{name}={client.secret('supplier')}"
    attempt, _ = attempt_on_pending(client, fresh_order, request, patch_reject(client, query=query))
    expect_status(attempt, {401}, f"the supplier token in ?{name}=")


@pytest.mark.destructive
@pytest.mark.requirement("REJ-036")
def test_rej_036_session_cookie_without_csrf_is_refused(client, fresh_order, request, need_role):
    """Only the sessionid cookie, no CSRF token: 401 or 403, state unchanged."""
    need_role("session_id")
    attempt, verdict = attempt_on_pending(
        client, fresh_order, request, lambda order: client.request("PATCH", reject_path(order), role="session_id")
    )
    expect_status(attempt, {401, 403}, "a sessionid cookie without CSRF token")
    expect_state(verdict, attempt)


@pytest.mark.audit
@pytest.mark.destructive
@pytest.mark.requirement("REJ-037")
def test_rej_037_refused_attempts_leave_state_unchanged(client, fresh_order, ledger):
    """Every refused attempt of REJ-030..REJ-042 in this run left the cancellation pending."""
    order = fresh_order(PENDING)
    attempt = client.request("PATCH", reject_path(order))  # an attempt of its own, so the check never idles
    entries = [*ledger.snapshot(), ("REJ-037 own attempt", still_pending(client, order), attempt)]
    broken = [(nodeid, verdict, exchange) for nodeid, verdict, exchange in entries if not verdict.ok]
    if broken:
        lines = [f"- after {nodeid}: {verdict.message()}\n{attempt.describe()}" for nodeid, verdict, attempt in broken]
        headline = f"{len(broken)} refused attempt(s) changed state (first after {broken[0][0]})"
        raise StateChanged(f"{headline}:", "\n".join(lines[:5]))
