"""REJ-023: error responses never reflect input as HTML nor expose a stack trace or debug page."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conformance.checks._support import audit, fail
from conformance.checks.cut_bodies import not_judged
from conformance.client import Exchange
from conformance.probes import reject_path

pytestmark = pytest.mark.security

PAYLOADS = (
    ("script-tag", '<script>alert("crux")</script>'),
    ("img-onerror", '"><img src=x onerror=alert(1)>'),
    ("svg-onload", "<svg/onload=alert(1)>"),
)
LEAK_MARKERS = (
    "Traceback (most recent call last)",
    "You're seeing this error because you have",
    "Werkzeug Debugger",
    "Exception Value:",
    "Whitelabel Error Page",
    "django.core.exceptions",
    "Internal Server Error</title>",
)
HTML_TYPES = ("text/html", "application/xhtml+xml")


def leak_problem(exchange: Exchange) -> str | None:
    """Name the stack trace or debug-page marker an error response shows, if any."""
    if exchange.status < 400:
        return None
    text = exchange.text()
    for marker in LEAK_MARKERS:
        if marker in text:
            return f"error response exposes {marker!r}"
    return None


@pytest.mark.requirement("REJ-023")
@pytest.mark.parametrize("role", ["supplier", None], ids=["as-supplier", "unauthenticated"])
@pytest.mark.parametrize(("name", "payload"), PAYLOADS, ids=[name for name, _ in PAYLOADS])
def test_rej_023_payload_is_not_reflected_as_html(client, name, payload, role):
    """A markup payload in the path never comes back verbatim in an HTML error body."""
    answer = client.request("PATCH", reject_path(quote(payload, safe="")), role=role)
    if answer.content_type in HTML_TYPES and payload in answer.text():
        fail(f"the {name} payload is reflected unescaped in a {answer.content_type} body", answer)
    problem = leak_problem(answer)
    if problem:
        fail(problem, answer)


@pytest.mark.audit
@pytest.mark.requirement("REJ-023")
def test_rej_023_no_error_response_exposes_a_stack_trace(recorder):
    """No error response received in the whole run shows a stack trace or a framework debug page."""
    audit(recorder.labelled(), leak_problem)
    not_judged(recorder.labelled(), lambda exchange: exchange.status >= 400, "only their first bytes were searched")
