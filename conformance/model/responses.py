"""Rows that judge one response on its own, whatever the state: its headers and body, not its status.

``problems(...)`` names each row a response breaks: a reject's 2xx body (REJ-001), ``WWW-Authenticate``
on a 401 (REJ-034), ``Allow`` listing PATCH on a 405 (REJ-050), a redirect of the unslashed URL pointing at
the slashed one (REJ-051), a typed body and JSON that parses (REJ-053), no 5xx and documented statuses only
(REJ-054), no reflected markup and no stack trace in an error (REJ-023).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import unquote, urljoin, urlsplit

from conformance.model.requests import REJECT

DOCUMENTED_STATUSES = frozenset({200, 201, 204, 400, 401, 403, 404, 405, 409, 415, 422, 301, 308, 414, 429})
LEAK_MARKERS = ("Traceback (most recent call last)", "You're seeing this error because you have")


def problems(
    *,
    action: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    url: str,
    slashed_path: str | None = None,
    sent_markup: str | None = None,
) -> list[tuple[str, str]]:
    """``(row, problem)`` for every row this response breaks (``headers`` keyed in lower case)."""
    found: list[tuple[str, str]] = []
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if status >= 500 or status not in DOCUMENTED_STATUSES:
        found.append(("REJ-054", f"status {status} is {'a server error' if status >= 500 else 'not documented'}"))
    if action == REJECT and status == 204 and body:
        found.append(("REJ-001", "a 204 must have an empty body"))
    if action == REJECT and status == 200 and not is_json:
        found.append(("REJ-001", f"a 200 must carry application/json, got {content_type or 'no Content-Type'}"))
    if status == 401 and not headers.get("www-authenticate"):
        found.append(("REJ-034", "a 401 without WWW-Authenticate"))
    if status == 405:
        allowed = {part.strip().upper() for part in (headers.get("allow") or "").split(",")}
        if "PATCH" not in allowed:
            found.append(("REJ-050", "a 405 whose Allow header does not list PATCH"))
    if slashed_path is not None and status in (301, 302, 303, 307, 308):
        location = headers.get("location")
        target = urlsplit(urljoin(url, location)).path if location else None
        if target is None or unquote(target) != unquote(slashed_path):  # clients normalise %2D and the like
            found.append(("REJ-051", f"the redirect must point at {slashed_path}, points at {target}"))
    if body and not headers.get("content-type"):
        found.append(("REJ-053", "a body without a Content-Type"))
    elif body and is_json:
        try:
            json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            found.append(("REJ-053", f"a body declared {content_type} that is not JSON"))
    if status >= 400:
        text = body.decode("utf-8", errors="replace")
        if sent_markup and content_type in ("text/html", "application/xhtml+xml") and sent_markup in text:
            found.append(("REJ-023", "request input reflected unescaped in an HTML error"))
        for marker in LEAK_MARKERS:
            if marker in text:
                found.append(("REJ-023", f"an error exposes {marker!r}"))
    return found
