"""Validate the http(s) URLs a run is given, and keep the passwords some of them carry out of sight.

``checked_http_url`` turns every malformed URL (no scheme, unbalanced brackets, a bad IPv6 literal, a
port outside 1-65535, whitespace, a query) into one ``UsageError`` line, exit 4, that shows the URL
with its password masked. ``url_passwords`` lists the forms of a URL's password that must be redacted
wherever the suite writes (console, reports, logs).
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import SplitResult, unquote, urlsplit

from conformance.errors import UsageError

MASK = "***"
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#@:\s]*):(?P<password>[^/?#@\s]*)@")


def mask_url_password(text: str) -> str:
    """``https://user:pw@host`` → ``https://user:***@host``, for every URL in ``text``; other text is kept."""
    return _USERINFO.sub(lambda match: f"{match['scheme']}{match['user']}:{MASK}@", text)


def url_passwords(urls: Iterable[str | None]) -> tuple[str, ...]:
    """Every form of the passwords in ``urls`` that could be shown: as written, decoded, and in a Basic header."""
    forms: list[str] = []
    for url in urls:
        match = _USERINFO.match(url or "")
        if not match or not match["password"]:
            continue
        user, password = unquote(match["user"]), unquote(match["password"])
        basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        forms += [match["password"], password, basic]
    return tuple(dict.fromkeys(forms))


def checked_http_url(value: str, where: str) -> str:
    """Return ``value`` without a trailing slash, or raise UsageError naming ``where`` and what is wrong."""
    shown = mask_url_password(value)
    reason = _problem(value)
    if reason:
        raise UsageError(f"{where}: {reason}, got {shown!r}")
    return value.rstrip("/")


def _problem(value: str) -> str | None:
    """What makes ``value`` unusable as a target URL, or None."""
    if _UNSAFE.search(value):
        return "a URL may not contain whitespace or control characters"
    try:
        parts = urlsplit(value)
    except ValueError as error:
        return f"not a valid URL ({error})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an http(s) URL such as https://host[:port]"
    if parts.query or parts.fragment:
        return "the URL must not carry a query or fragment (no credentials in URLs)"
    return _host_problem(parts) or _port_problem(parts)


def _host_problem(parts: SplitResult) -> str | None:
    hostname = parts.hostname
    if not hostname:
        return "the URL names no host"
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(hostname.split("%", 1)[0])
        except ValueError:
            return f"[{hostname}] is not an IPv6 address"
    return None


def _port_problem(parts: SplitResult) -> str | None:
    try:
        port = parts.port
    except ValueError:
        return "the port must be a number between 1 and 65535"
    if port is not None and not 1 <= port <= 65535:
        return "the port must be a number between 1 and 65535"
    if parts.netloc.rsplit("@", 1)[-1].endswith(":"):
        return "the URL has a ':' but no port"
    return None
