"""One true line for a request that got no answer: DNS, refused, TLS, proxy, timeout, or not HTTP at all.

``describe_failure`` walks the exception chain ``requests`` and urllib3 build and names the first cause
a person can act on, with what to do about it. Every message is one line and carries no secret.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from conformance.transport.settings import shown_url
from conformance.transport.targets import TargetRewritten

EXCERPT = 40


def _chain(error: BaseException, depth: int = 0) -> Iterator[BaseException]:
    """``error`` and every exception it wraps (``reason``, ``args``, ``__cause__``, ``__context__``)."""
    if depth > 8:
        return
    yield error
    inner: list[object] = [getattr(error, "reason", None), error.__cause__, error.__context__, *error.args]
    for item in inner:
        if isinstance(item, BaseException) and item is not error:
            yield from _chain(item, depth + 1)


def _first(error: BaseException, *kinds: type[BaseException]) -> BaseException | None:
    return next((item for item in _chain(error) if isinstance(item, kinds)), None)


def _where(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def describe_failure(
    error: BaseException, url: str, *, timeouts: tuple[float, float] | None = None, proxy: str | None = None
) -> str:
    """One line saying why ``url`` got no answer and what to change (``proxy``: the proxy the request used)."""
    where = _where(url)
    connect, read = timeouts or (None, None)
    if isinstance(error, TargetRewritten):
        return str(error)
    verify_failure = _first(error, ssl.SSLCertVerificationError)
    if verify_failure is not None or "CERTIFICATE_VERIFY_FAILED" in str(error):
        reason = getattr(verify_failure, "verify_message", None) or "certificate verify failed"
        return (
            f"TLS verification failed for {where} ({reason}): set [target] ca_bundle (or REQUESTS_CA_BUNDLE) "
            "to the CA that signed the target's certificate; [target] verify = false skips the check"
        )
    if proxy and _first(error, requests.exceptions.ProxyError, urllib3.exceptions.ProxyError) is not None:
        cause = "refused the connection" if _first(error, ConnectionRefusedError) else "failed"
        return (
            f"the proxy {shown_url(proxy)} {cause} on the way to {where}: "
            "check [target] proxy or HTTPS_PROXY / HTTP_PROXY"
        )
    if _first(error, urllib3.exceptions.NameResolutionError, socket.gaierror) is not None:
        return f"cannot resolve the host {urlsplit(url).hostname!r} (DNS lookup failed): check the base URL's host name"
    if _first(error, ConnectionRefusedError) is not None:
        return f"connection refused by {where}: nothing listens there; check the base URL's host and port"
    if _first(error, requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError) is not None:
        return f"no connection to {where} within {connect:g}s (connect timeout, [timeouts] connect)" if connect else (
            f"no connection to {where} (connect timeout, [timeouts] connect)")  # fmt: skip
    if _first(error, requests.exceptions.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError) is not None:
        within = f" within {read:g}s" if read else ""
        return f"{where} accepted the connection but did not answer{within} (read timeout, [timeouts] read)"
    bad_line = _first(error, http.client.BadStatusLine)
    if bad_line is not None and not isinstance(bad_line, http.client.RemoteDisconnected):
        first = str(bad_line.args[0] if bad_line.args else "")[:EXCERPT]
        return f"{where} answered something that is not HTTP ({first!r}): check the base URL's port and scheme"
    tls = _first(error, ssl.SSLError)
    if tls is not None:
        reason = getattr(tls, "reason", None) or str(tls)[:80]
        return f"TLS handshake with {where} failed ({reason}): check the base URL's scheme (https://) and port"
    if _first(error, http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) is not None:
        return f"{where} closed the connection without an HTTP answer"
    if _first(error, requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) is not None:
        return f"{where} sent a broken HTTP answer (the body could not be read)"
    return f"no answer from {where} ({error.__class__.__name__})"
