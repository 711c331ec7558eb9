"""The run's transport settings (``[target]`` TLS, client certificate, proxy, body limit) and how they resolve.

Like curl and ``requests``, the standard environment is honoured by default: ``HTTPS_PROXY``,
``HTTP_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` choose the proxy, and ``REQUESTS_CA_BUNDLE``,
``CURL_CA_BUNDLE`` or ``SSL_CERT_FILE`` (first one set) the CA bundle. The config's keys win over the
environment: ``[target] ca_bundle``, ``client_cert`` / ``client_key`` (mutual TLS), ``proxy`` (still
bypassed for hosts in ``NO_PROXY``, as curl does), ``verify = false`` (no certificate check; loudly
reported) and ``max_body_bytes`` (how much of each response body is kept, default 1 MiB).
Relative paths are read relative to the config file's folder.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from conformance.errors import UsageError

DEFAULT_MAX_BODY_BYTES = 1 << 20
MIN_MAX_BODY_BYTES = 1 << 10
MAX_MAX_BODY_BYTES = 1 << 28
#: Environment variables naming a CA bundle, in the order requests (then OpenSSL) reads them.
CA_ENVIRONMENT = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")
#: The ``[target]`` keys this module reads.
TRANSPORT_KEYS = ("ca_bundle", "client_cert", "client_key", "proxy", "verify", "max_body_bytes")
PROXY_SCHEMES = ("http", "https")
INSECURE_WARNING = (
    "WARNING: TLS certificate verification is OFF ([target] verify = false): the target's identity is not "
    "checked, so this run proves nothing about who answered; recorded in the certificate"
)


def shown_url(url: str | None) -> str:
    """A URL fit to print: a password in it becomes ``***``."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class TransportSettings:
    """How every HTTP session of a run reaches the target (one policy for checks, provisioning and fuzz)."""

    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    proxy: str | None = field(default=None, repr=False)  # may carry a password
    verify: bool = True
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def trust(self, environ: Mapping[str, str] | None = None) -> tuple[bool | str, str]:
        """``(verify, source)``: what requests' ``verify`` gets, and where it came from (for messages)."""
        env = os.environ if environ is None else environ
        if not self.verify:
            return False, "[target] verify = false"
        if self.ca_bundle:
            return self.ca_bundle, f"[target] ca_bundle {self.ca_bundle}"
        for name in CA_ENVIRONMENT:
            path = env.get(name)
            if path:
                if not Path(path).exists():
                    raise UsageError(f"{name}={path}: no such CA bundle file (unset it or fix the path)")
                return path, f"{name}={path}"
        return True, "the default CA bundle (certifi)"

    def cert(self) -> str | tuple[str, str] | None:
        """The client certificate for mutual TLS, as requests takes it."""
        if self.client_cert and self.client_key:
            return (self.client_cert, self.client_key)
        return self.client_cert

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies a request to ``url`` goes through: ``[target] proxy``, else the environment's; none for
        a host ``NO_PROXY`` names."""
        parts = urlsplit(url)
        return dict(_proxies(f"{parts.scheme}://{parts.netloc}/", self.proxy, _proxy_environment()))

    def proxy_for(self, url: str) -> str | None:
        """The one proxy a request to ``url`` goes through, or None (for messages)."""
        return requests.utils.select_proxy(url, self.proxies_for(url)) or None

    def insecure_warning(self) -> str | None:
        """The loud console line of a run without certificate verification (None when verification is on)."""
        return None if self.verify else INSECURE_WARNING

    def coverage(self) -> dict[str, object]:
        """What the certificate states about the transport (no secret: a proxy password is masked)."""
        if not self.verify:
            verification = "OFF ([target] verify = false): the target's identity was not checked"
        elif self.ca_bundle:
            verification = f"on (CA bundle {self.ca_bundle})"
        else:
            verification = "on (CA bundle from the environment or the default)"
        return {
            "tls_verification": verification,
            "client_certificate": bool(self.client_cert),
            "proxy": shown_url(self.proxy) or None,
            "max_body_bytes": self.max_body_bytes,
        }


def transport_settings(
    values: Mapping[str, Any], source: str, resolve: Callable[[str, str], str] | None = None
) -> TransportSettings:
    """Read the transport keys of a ``[target]`` table (UsageError, exit 4, naming file and key).

    ``resolve(raw, where)`` turns an ``env:NAME`` value into the variable's value (the config loader's rule).
    """
    folder = Path(source).parent if Path(source).is_file() else Path.cwd()
    where = f"{source}: target"

    def text(key: str) -> str | None:
        if key not in values:
            return None
        value = values[key]
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where}.{key} must be a non-empty string")
        return resolve(value, f"target.{key}") if resolve else value

    def existing(key: str) -> str | None:
        value = text(key)
        if value is None:
            return None
        path = Path(value).expanduser()
        path = path if path.is_absolute() else folder / path
        if not path.exists():
            raise UsageError(f"{where}.{key}: no such file: {path}")
        return str(path)

    verify = values.get("verify", True)
    if not isinstance(verify, bool):
        raise UsageError(f"{where}.verify must be true or false")
    client_cert, client_key = existing("client_cert"), existing("client_key")
    if client_key and not client_cert:
        raise UsageError(f"{where}.client_key needs target.client_cert (the certificate it belongs to)")
    proxy = text("proxy")
    if proxy is not None:
        parts = urlsplit(proxy)
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname:
            raise UsageError(f"{where}.proxy must be an http:// or https:// proxy URL, got {shown_url(proxy)!r}")
    limit = values.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)
    if isinstance(limit, bool) or not isinstance(limit, int) or not MIN_MAX_BODY_BYTES <= limit <= MAX_MAX_BODY_BYTES:
        raise UsageError(
            f"{where}.max_body_bytes must be a whole number of bytes from {MIN_MAX_BODY_BYTES} to {MAX_MAX_BODY_BYTES}"
        )
    return TransportSettings(
        ca_bundle=existing("ca_bundle"),
        client_cert=client_cert,
        client_key=client_key,
        proxy=proxy,
        verify=verify,
        max_body_bytes=limit,
    )


#: The environment variables ``requests`` reads to choose an http(s) proxy or bypass one.
PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                   "no_proxy", "NO_PROXY", "REQUEST_METHOD")  # fmt: skip


def _proxy_environment() -> tuple[str | None, ...]:
    return tuple(os.environ.get(name) for name in PROXY_VARIABLES)


@functools.lru_cache(maxsize=256)
def _proxies(origin: str, proxy: str | None, environment: tuple[str | None, ...]) -> tuple[tuple[str, str], ...]:
    """The proxies for ``origin`` (scheme://host:port/): ``proxy`` unless ``NO_PROXY`` names the host, else the
    environment's. Remembered per origin, proxy and environment: ``requests`` would scan every environment
    variable twice per request."""
    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY")
    if proxy:
        bypassed = requests.utils.should_bypass_proxies(origin, no_proxy=no_proxy)
        return () if bypassed else (("http", proxy), ("https", proxy))
    return tuple(requests.utils.get_environ_proxies(origin, no_proxy=no_proxy).items())
