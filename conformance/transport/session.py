"""The one factory of HTTP sessions: every request of a run (checks, provisioning, fuzz) goes out with one policy.

A ``TransportSession`` sends through a ``TransportAdapter`` and applies, whatever the caller passes:

- TLS trust and the client certificate of ``TransportSettings`` (``[target]`` keys, else the environment);
- the proxy the settings choose for each URL (``[target] proxy``, else ``HTTPS_PROXY``/``HTTP_PROXY``,
  ``NO_PROXY`` honoured); ``.netrc`` credentials are never picked up;
- no redirects followed unless the caller asks; the caller's timeouts;
- the run's rate cap, request budget and 429 handling (``conformance.ratelimit``);
- byte-exact request targets (``conformance.transport.targets``): a target the route would rewrite is
  not sent (``TargetRewritten``);
- bounded bodies (``conformance.transport.bodies``);
- a cookie policy that keeps no cookie a target sets (a stray session cookie would authenticate later checks).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from conformance.ratelimit import LimitedAdapter
from conformance.transport.bodies import read_bounded
from conformance.transport.settings import TransportSettings
from conformance.transport.targets import ATTRIBUTE, TargetRewritten, exact_url, intended_target, wire_target


def _proxied_http(url: str, proxies: dict[str, str] | None) -> bool:
    """True when ``url`` goes to an HTTP proxy in absolute-form (plain http through a proxy; https tunnels)."""
    proxy = requests.utils.select_proxy(url, proxies or {})
    return bool(proxy) and urllib3.util.parse_url(url).scheme != "https"


def refuse_rewritten_target(adapter: HTTPAdapter, request: requests.PreparedRequest, proxies: Any) -> None:
    """Note the target ``request`` will go out with; raise ``TargetRewritten`` when the route would change it."""
    proxied = _proxied_http(request.url or "", proxies)
    sent = wire_target(adapter.request_url(request, proxies or {}))
    intended = intended_target(request.url or "", proxied)
    setattr(request, ATTRIBUTE, sent)
    if sent != intended:
        raise TargetRewritten(intended, sent, "the HTTP proxy" if proxied else "the HTTP client (urllib3)")


class TransportAdapter(LimitedAdapter):
    """The rate-limited adapter that also keeps request targets byte-exact and response bodies bounded."""

    def __init__(self, max_body_bytes: int) -> None:
        super().__init__()
        self.max_body_bytes = max_body_bytes

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Refuse a target the route would rewrite, send within the run's limits, read at most the body limit."""
        refuse_rewritten_target(self, request, kwargs.get("proxies"))
        response = super().send(request, *args, **kwargs)
        read_bounded(response, self.max_body_bytes)
        return response


@contextmanager
def foreign_sessions_follow(settings: TransportSettings) -> Iterator[None]:
    """Within the block, sessions the suite did not build (Schemathesis's auth probes) follow the same policy.

    Their adapters get the settings' TLS trust, client certificate and proxy, the exact-target check and
    the body limit; the run's limits still apply when ``ratelimit.install_everywhere`` is active.
    """
    previous = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if isinstance(adapter, TransportAdapter):
            return previous(adapter, request, *args, **kwargs)
        kwargs["verify"], _ = settings.trust()
        kwargs["cert"] = settings.cert()
        kwargs["proxies"] = settings.proxies_for(request.url or "")
        refuse_rewritten_target(adapter, request, kwargs["proxies"])
        response = previous(adapter, request, *args, **kwargs)
        read_bounded(response, settings.max_body_bytes)
        return response

    HTTPAdapter.send = send  # type: ignore[method-assign]
    try:
        yield
    finally:
        HTTPAdapter.send = previous  # type: ignore[method-assign]


class TransportSession(requests.Session):
    """A ``requests`` session whose TLS, proxy, target and body policy come from ``TransportSettings`` only."""

    def __init__(self, settings: TransportSettings) -> None:
        super().__init__()
        self.settings = settings
        self.trust_env = False  # the environment is read by the settings, never .netrc
        self.verify, _ = settings.trust()
        self.cert = settings.cert()
        self.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        adapter = TransportAdapter(settings.max_body_bytes)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        if not settings.verify:  # said once, loudly, by the run; not once per request
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    def __repr__(self) -> str:
        return f"TransportSession({self.settings!r})"

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        """Prepare as requests does, then put back the exact path and query the caller built."""
        prepared = super().prepare_request(request)
        if request.url and prepared.url:
            prepared.url = exact_url(str(request.url), prepared.url, merged_params=bool(request.params))
        return prepared

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> dict[str, Any]:
        """The settings' proxy, trust and certificate win over the caller's and the environment's."""
        return {"proxies": self.settings.proxies_for(str(url)), "stream": stream, "verify": self.verify,
                "cert": self.cert}  # fmt: skip

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send with the settings' proxy, trust and certificate (also when the caller prepared it itself)."""
        kwargs["proxies"] = self.settings.proxies_for(request.url or "")
        kwargs["verify"], kwargs["cert"] = self.verify, self.cert
        return super().send(request, **kwargs)


def build_session(settings: TransportSettings | None = None) -> TransportSession:
    """A new session with the run's transport policy (defaults: environment trust and proxies, 1 MiB bodies)."""
    return TransportSession(settings or TransportSettings())


class ThreadSessions:
    """One ``TransportSession`` per thread (connections are reused within a thread, never shared across)."""

    def __init__(self, settings: TransportSettings | None = None) -> None:
        self.settings = settings or TransportSettings()
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"ThreadSessions({self.settings!r})"

    def get(self) -> TransportSession:
        """This thread's session."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = build_session(self.settings)
        return session
