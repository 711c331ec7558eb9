"""Byte-exact request targets: what the suite builds is what goes on the wire, or the request is not sent.

``requests`` re-quotes every URL it prepares (``%2E%2E`` becomes ``..``), and urllib3 normalises an
absolute URL sent through an HTTP proxy (dot segments removed, escapes upper-cased). ``exact_url`` keeps
the URL the suite built whenever it is a valid request target; ``wire_target`` predicts, with urllib3's own
functions, the target that will really be sent on a route; a request whose target would be changed
raises ``TargetRewritten`` before anything is sent, so no check passes or fails on a rewritten request.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from urllib3.util import parse_url

try:  # the function urllib3's connection pool applies to an origin-form target
    from urllib3.util.url import _encode_target
except ImportError:  # pragma: no cover - another urllib3: judge origin-form targets by the request-line grammar
    _encode_target = None

#: RFC 3986 characters allowed in a path and query, plus complete percent-escapes.
_TARGET_CHARACTERS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")
ATTRIBUTE = "_crux_wire_target"


class TargetRewritten(Exception):
    """A request target that cannot reach the server unchanged on this route (not sent; not verified)."""

    def __init__(self, intended: str, sent: str, route: str) -> None:
        self.intended, self.sent, self.route = intended, sent, route
        super().__init__(
            f"not verified: the request target {intended!r} cannot cross {route} unchanged "
            f"(it would arrive as {sent!r}), so it was not sent"
        )


def is_valid_target(url: str) -> bool:
    """True when the path and query of ``url`` use only characters a request line may carry as they are."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return bool(_TARGET_CHARACTERS.match(target))


def exact_url(given: str, prepared: str, *, merged_params: bool = False) -> str:
    """The URL to send: ``prepared`` (requests' form) with the path and query of ``given`` kept byte for byte.

    The scheme and host stay as requests prepared them (IDNA). With ``merged_params`` the query is
    requests' (it merged ``params`` into it). A ``given`` URL that a request line cannot carry as it is
    stays re-quoted.
    """
    if not is_valid_target(given):
        return prepared
    original, ready = urlsplit(given), urlsplit(prepared)
    query = ready.query if merged_params else original.query
    return urlunsplit((ready.scheme, ready.netloc, original.path or "/", query, ""))


def wire_target(adapter_url: str) -> str:
    """The request target urllib3 puts on the wire for the URL a ``requests`` adapter hands it."""
    if adapter_url.startswith("/"):
        return _encode_target(adapter_url) if _encode_target is not None else adapter_url
    return str(parse_url(adapter_url)._replace(fragment=None).url)


def intended_target(url: str, proxied_http: bool) -> str:
    """The target the suite means to send: origin-form (path and query), or absolute-form through an HTTP proxy."""
    parts = urlsplit(url)
    if proxied_http:
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, ""))
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
