"""The HTTP client every check uses: timeouts, no redirects, a redacted exchange log, latency.

Requests go through the process-wide limiter (``conformance.ratelimit``): the run's rate cap and request
budget apply, and a 429 is waited out (bounded ``Retry-After``) and sent again; nothing else is retried.
A target that keeps answering 429 raises ``Throttled``: the check is not verified, never failed.

``Client.request`` returns an ``Exchange``: a small, already-redacted record of what was sent and what
came back. Every exchange is appended to the client's ``Recorder`` (``conformance.recorder``) so that
session-wide requirements (REJ-034, REJ-053, REJ-054, REJ-070) can judge every response the suite received.

It is longer than the project's 300-line mark because the exchange record, its rendering for a failure
(what was sent, what came back, the curl command) and the client that makes it change together.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import requests

from conformance.config import RunConfig, Timeouts
from conformance.curl import curl_command
from conformance.errors import TargetError
from conformance.ratelimit import MAX_RETRIES
from conformance.recorder import Recorder
from conformance.redaction import MASK, Redactor
from conformance.transport import BodyCut, ThreadSessions, TransportSettings, describe_failure, skip_not_judged
from conformance.transport.bodies import body_cut_of
from conformance.transport.targets import ATTRIBUTE as WIRE_TARGET

#: A body already cut short is kept in the session-wide log only this far (its JSON cannot be judged anyway).
RECORDED_CUT_BODY = 64 * 1024

BODY_EXCERPT = 500
#: In a reproducing curl command a masked secret stands for the token of the role the check used.
MASKED_ROLE = "token"
SHOWN_HEADERS = (
    "content-type",
    "content-length",
    "location",
    "allow",
    "www-authenticate",
    "set-cookie",
    "authorization",
    "cookie",
)


class NoAnswer(AssertionError):
    """The target did not answer a request (refused, reset, timed out...); ``reason`` says which in one line."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class Throttled(TargetError):
    """The target still answered 429 after the suite waited out ``Retry-After`` each time: cannot judge."""


@dataclass(frozen=True)
class Exchange:
    """One request and its response, with every secret already replaced by ``***``."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float
    endpoint: str = "other"
    target: str = ""  # the request target exactly as it went on the wire
    body_cut: BodyCut | None = None  # set when only the first bytes of the body were kept

    def __repr__(self) -> str:
        return f"<Exchange {self.method} {self.url} -> {self.status}>"

    def header(self, name: str) -> str | None:
        """Return a response header (case-insensitive) or None."""
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        """The response media type, lower-case, without parameters ('' when absent)."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def is_json(self) -> bool:
        """True when the response declares a JSON media type."""
        kind = self.content_type
        return kind == "application/json" or kind.endswith("+json")

    def json(self) -> object:
        """Parse the body as JSON (ValueError when it is not; a body cut short skips the check as not verified)."""
        if self.body_cut is not None:
            cut = self.body_cut.describe()
            skip_not_judged(f"not verified: the {self.status} body was {cut}; its JSON was not judged")
        return json.loads(self.body.decode("utf-8"))

    def recorded(self) -> Exchange:
        """This exchange as the session-wide log keeps it: a body already cut short is kept shorter still."""
        if self.body_cut is None or len(self.body) <= RECORDED_CUT_BODY:
            return self
        shorter = replace(self.body_cut, kept=RECORDED_CUT_BODY)
        return replace(self, body=self.body[:RECORDED_CUT_BODY], body_cut=shorter)

    def text(self) -> str:
        """The body decoded leniently as UTF-8."""
        return self.body.decode("utf-8", errors="replace")

    def as_record(self) -> dict[str, object]:
        """A JSON-ready record (redacted, body excerpt) for the exchange log of a report."""
        return {
            "method": self.method,
            "url": self.url,
            "target": self.target,
            "request_headers": dict(self.request_headers),
            "status": self.status,
            "headers": dict(self.headers),
            "body_excerpt": self.body[:BODY_EXCERPT].decode("utf-8", errors="replace"),
            "body_bytes": len(self.body) if self.body_cut is None else self.body_cut.length,
            "body_cut": None if self.body_cut is None else self.body_cut.as_record(),
            "elapsed_ms": round(self.elapsed * 1000, 2),
            "endpoint": self.endpoint,
        }

    def describe(self) -> str:
        """Render what was sent and what came back, for a failure message (redacted, body excerpt)."""
        lines = [f"sent: {self.method} {self.url}"]
        lines += [f"  {name}: {value}" for name, value in self.request_headers if name.lower() in SHOWN_HEADERS]
        if self.request_body:
            lines.append(f"  body: {_excerpt(self.request_body)}")
        lines.append(f"got:  {self.status}")
        lines += [f"  {name}: {value}" for name, value in self.headers.items() if name in SHOWN_HEADERS]
        size = f"{len(self.body)} bytes" if self.body_cut is None else self.body_cut.describe()
        lines.append(f"  body ({size}): {_excerpt(self.body)}" if self.body else "  body: (empty)")
        lines.append(f"reproduce: {self.curl()}")
        return "\n".join(lines)

    def curl(self) -> str:
        """A curl command re-sending this request; a masked secret becomes ``${CRUX_TOKEN}`` to fill in."""
        body = self.request_body or None
        return curl_command(self.method, self.url, self.request_headers, body, {MASKED_ROLE: MASK})


def _excerpt(data: bytes) -> str:
    text = data[:BODY_EXCERPT].decode("utf-8", errors="replace")
    return repr(text) + (" …" if len(data) > BODY_EXCERPT else "")


def endpoint_of(path: str) -> str:
    """Name the API endpoint a path belongs to, for latency figures (reject, confirm, detail, other)."""
    if path.startswith("/timp/orders/cancel/"):
        if path.rstrip("/").endswith("/reject"):
            return "reject"
        if path.rstrip("/").endswith("/confirm"):
            return "confirm"
    elif path.startswith("/timp/orders/"):
        return "detail"
    return "other"


class Client:
    """Sends requests to the target as a role, one ``requests.Session`` per thread."""

    def __init__(
        self,
        base_url: str,
        credentials: Mapping[str, str],
        timeouts: Timeouts,
        redactor: Redactor,
        recorder: Recorder | None = None,
        transport: TransportSettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = dict(credentials)
        self.timeouts = timeouts
        self.redactor = redactor
        self.recorder = recorder if recorder is not None else Recorder()
        self.unanswered: list[str] = []  # "METHOD url" of every request the target did not answer
        self.transport = transport or TransportSettings()
        self._sessions = ThreadSessions(self.transport)

    def __repr__(self) -> str:
        return f"Client({self.base_url!r})"

    @classmethod
    def from_config(cls, config: RunConfig, recorder: Recorder | None = None) -> Client:
        """Build the client a run config describes."""
        assert config.target.base_url
        return cls(
            config.target.base_url,
            config.credentials.secrets,
            config.timeouts,
            Redactor(config.secrets),
            recorder,
            config.target.transport,
        )

    @property
    def session(self) -> requests.Session:
        """This thread's session (connections are reused within a thread)."""
        return self._sessions.get()  # conformance.transport: TLS, proxy, limits, exact targets, bounded bodies

    def with_timeouts(self, timeouts: Timeouts) -> Client:
        """A client for the same target and credentials with other timeouts (shares the recorder)."""
        return Client(self.base_url, self._credentials, timeouts, self.redactor, self.recorder, self.transport)

    def url(self, path: str) -> str:
        """Resolve a path (``/timp/...``) or absolute URL against the base URL."""
        if urlsplit(path).scheme:
            return path
        return self.base_url + path

    def auth_headers(self, role: str) -> dict[str, str]:
        """The headers that authenticate as ``role`` (``session_id`` becomes a cookie)."""
        secret = self._credentials[role]
        if role == "session_id":
            return {"Cookie": f"sessionid={secret}"}
        return {"Authorization": f"Token {secret}"}

    def secret(self, role: str) -> str:
        """The secret of ``role`` (for checks that must place it somewhere unusual, e.g. a query string)."""
        return self._credentials[role]

    def has(self, role: str) -> bool:
        """True when ``role`` has a credential."""
        return role in self._credentials

    def request(
        self,
        method: str,
        path: str,
        *,
        role: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        record: bool = True,
    ) -> Exchange:
        """Send one request (as ``role`` unless ``headers`` say otherwise) and return its redacted record.

        Raises ``NoAnswer`` (an AssertionError, so a check fails with a clear line) when the target does
        not answer within the configured timeouts, ``Throttled`` when it kept answering 429, and
        ``ratelimit.RequestBudgetExceeded`` when the run's request budget is used up. Redirects are never
        followed; only 429s are retried (by the limiter).
        """
        sent_headers: dict[str, str] = {"Accept": "application/json, */*;q=0.5"}
        if role is not None:
            sent_headers.update(self.auth_headers(role))
        if headers:
            sent_headers.update(headers)
        url = self.url(path)
        request = requests.Request(method, url, headers=sent_headers, data=body)
        prepared = self.session.prepare_request(request)
        started = time.perf_counter()
        try:
            response = self.session.send(
                prepared, timeout=self.timeouts.as_tuple(), allow_redirects=False, stream=False
            )
            content = response.content
        except requests.RequestException as error:
            self.unanswered.append(f"{method} {self.redactor.text(prepared.url)}")
            proxy = self.transport.proxy_for(prepared.url or "")
            reason = describe_failure(error, prepared.url or "", timeouts=self.timeouts.as_tuple(), proxy=proxy)
            reason = self.redactor.text(reason)
            shown = f"{method} {self.redactor.text(prepared.url)}"
            raise NoAnswer(f"the target did not answer {shown}: {reason}", reason) from None
        elapsed = time.perf_counter() - getattr(response, "sent_at", started)  # not the limiter's waits
        if response.status_code == 429:
            raise Throttled(
                f"not verified: the target answered 429 Too Many Requests to {method} "
                f"{urlsplit(self.redactor.text(prepared.url)).path} {MAX_RETRIES + 1} times, "
                "waiting out its Retry-After each time"
            )
        exchange = self._record(prepared, response, content, elapsed)
        if record:
            self.recorder.add(exchange)
        return exchange

    def _record(
        self, prepared: requests.PreparedRequest, response: requests.Response, content: bytes, elapsed: float
    ) -> Exchange:
        redact = self.redactor
        request_body = prepared.body or b""
        if isinstance(request_body, str):
            request_body = request_body.encode()
        response_headers = {
            name.lower(): _mask_cookie(name, redact.text(value)) for name, value in response.headers.items()
        }
        url = redact.text(prepared.url)
        return Exchange(
            method=prepared.method or "",
            url=url,
            request_headers=tuple(
                (name, _mask_cookie(name, value)) for name, value in redact.headers(prepared.headers.items())
            ),
            request_body=redact.data(request_body),
            status=response.status_code,
            headers=response_headers,
            body=redact.data(content),
            elapsed=elapsed,
            endpoint=endpoint_of(urlsplit(prepared.url or "").path),
            target=redact.text(getattr(prepared, WIRE_TARGET, "")),
            body_cut=body_cut_of(response),
        )


def _mask_cookie(name: str, value: str) -> str:
    """Cookies are session secrets whether configured or issued by the target: mask their values."""
    lowered = name.lower()
    if lowered == "cookie":
        return "; ".join(f"{part.split('=', 1)[0]}={MASK}" for part in value.split("; ") if part)
    if lowered == "set-cookie":
        first, _, rest = value.partition(";")
        return f"{first.split('=', 1)[0]}={MASK}" + (f";{rest}" if rest else "")
    return value


def location_target(exchange: Exchange) -> str | None:
    """The absolute URL a redirect's ``Location`` points at, or None when there is none."""
    location = exchange.header("location")
    return urljoin(exchange.url, location) if location else None
