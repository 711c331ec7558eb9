"""One process-wide request limiter: a rate cap, a request budget, and honouring 429 ``Retry-After``.

Every request the suite sends goes through a ``LimitedAdapter`` (every session ``conformance.transport``
builds: the checks' ``Client``, provisioning and the fuzz stage; during a pytest session
``install_everywhere`` also covers sessions Schemathesis makes itself), and every adapter asks the one
``limiter()`` of the process before it sends:

- ``max_rps``: a token bucket refilled at ``max_rps`` tokens per second holding at most ``burst`` tokens
  (the run uses ``[checks] concurrency``). A request takes one token and waits when none is left, so
  over any window of T seconds at most ``max_rps * T + burst`` requests leave. ``prepay(n)`` takes n
  tokens at once (waiting for them at the capped rate) so that the next n requests go out immediately:
  REJ-013/014's simultaneous requests stay simultaneous.
- ``max_requests``: the request after the budget raises ``RequestBudgetExceeded`` (exit 2).
- a 429 answer is not passed on: the adapter waits what ``Retry-After`` says (seconds or an HTTP date,
  at most ``MAX_RETRY_AFTER`` seconds, ``DEFAULT_RETRY_AFTER`` when absent) and sends again, at most
  ``MAX_RETRIES`` times; each 429 is noted in ``limiter().throttled`` for the reports. Only the answer
  after the retries reaches the caller (``client.Throttled`` when that is still 429).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from conformance.errors import TargetError

MAX_RETRIES = 3
MAX_RETRY_AFTER = 30.0
DEFAULT_RETRY_AFTER = 1.0


class RequestBudgetExceeded(TargetError):
    """The run's request budget (``--max-requests``) is used up: the run stops, exit 2."""


@dataclass(frozen=True)
class ThrottleEvent:
    """One 429 answer the suite waited out (the URL path only: no query string, no secrets)."""

    method: str
    path: str
    retry_after: str | None
    waited: float


@dataclass
class Limiter:
    """A thread-safe token bucket plus a request counter; unlimited when both limits are None."""

    max_rps: float | None = None
    burst: int = 1
    max_requests: int | None = None
    budget_of_run: int | None = None  # the whole run's budget when this process has a share of it
    sent: int = 0
    exceeded: str | None = None
    throttled: list[ThrottleEvent] = field(default_factory=list)
    _tokens: float = 0.0
    _prepaid: int = 0
    _last: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.burst = max(1, self.burst)
        self._tokens = float(self.burst)

    def restart(
        self,
        max_rps: float | None = None,
        burst: int = 1,
        max_requests: int | None = None,
        budget_of_run: int | None = None,
    ) -> None:
        """Start afresh with these limits: nothing sent, no 429 seen, a full bucket."""
        with self._lock:
            self.max_rps, self.burst, self.max_requests = max_rps, max(1, burst), max_requests
            self.budget_of_run, self.sent, self.exceeded, self.throttled = budget_of_run, 0, None, []
            self._tokens, self._prepaid, self._last = float(self.burst), 0, time.monotonic()

    def settings(self) -> tuple[float | None, int, int | None]:
        """``(max_rps, burst, max_requests)``."""
        return (self.max_rps, self.burst, self.max_requests)

    def _take(self, count: int) -> float:
        """Take ``count`` tokens (the balance may go negative); return how long the caller must wait."""
        if self.max_rps is None:
            return 0.0
        now = time.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.max_rps)
        self._last = now
        self._tokens -= count
        return 0.0 if self._tokens >= 0 else -self._tokens / self.max_rps

    def acquire(self) -> None:
        """Count one request and wait for its token; RequestBudgetExceeded when it is over the budget."""
        with self._lock:
            if self.max_requests is not None and self.sent >= self.max_requests:
                self.exceeded = (
                    f"request budget exhausted: the run may send {self.budget_of_run or self.max_requests} "
                    "requests (--max-requests / [target] max_requests) and stopped before sending more"
                )
                raise RequestBudgetExceeded(self.exceeded)
            self.sent += 1
            if self._prepaid > 0:
                self._prepaid -= 1
                return
            wait = self._take(1)
        if wait > 0:
            time.sleep(wait)

    def prepay(self, count: int) -> None:
        """Take ``count`` tokens now (waiting for them at the capped rate): the next ``count`` requests go at once."""
        if self.max_rps is None or count <= 0:
            return
        with self._lock:
            wait = self._take(count)
            self._prepaid = count
        if wait > 0:
            time.sleep(wait)

    def note_throttled(self, event: ThrottleEvent) -> None:
        """Remember a 429 that was waited out."""
        with self._lock:
            self.throttled.append(event)

    def summary(self) -> dict[str, Any]:
        """Figures for the reports: requests sent, limits, 429s waited out and the total wait."""
        with self._lock:
            return {
                "requests_sent": self.sent,
                "max_rps": self.max_rps,
                "burst": self.burst,
                "max_requests": self.max_requests,
                "budget_exhausted": self.exceeded is not None,
                "throttled": len(self.throttled),
                "throttled_wait_seconds": round(sum(event.waited for event in self.throttled), 3),
                "throttled_requests": [event.__dict__ for event in self.throttled[:50]],
            }


def merge_summaries(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """One summary for several processes (xdist workers): counts add up; limits are the first one's."""
    merged = dict(summaries[0])
    for other in summaries[1:]:
        merged["requests_sent"] += other["requests_sent"]
        merged["throttled"] += other["throttled"]
        merged["throttled_wait_seconds"] = round(merged["throttled_wait_seconds"] + other["throttled_wait_seconds"], 3)
        merged["budget_exhausted"] = merged["budget_exhausted"] or other["budget_exhausted"]
        merged["throttled_requests"] = (merged["throttled_requests"] + other["throttled_requests"])[:50]
    return merged


#: The process's one limiter: restarted with each run's limits (``configure``), never replaced.
_LIMITER = Limiter()
_configure_lock = threading.Lock()


def limiter() -> Limiter:
    """The process-wide limiter every ``LimitedAdapter`` asks."""
    return _LIMITER


def configure(
    max_rps: float | None, max_requests: int | None, burst: int = 8, share: tuple[int, int] = (0, 1)
) -> Limiter:
    """Set the process-wide limiter for a run (idempotent: the same settings keep the counts so far).

    ``share`` is ``(index, count)`` of parallel worker processes: each gets 1/count of the rate and of
    the budget, so together they stay within both.
    """
    workers = max(1, share[1])
    rate = None if max_rps is None else max_rps / workers
    budget = None if max_requests is None else max(1, max_requests // workers)
    with _configure_lock:
        if _LIMITER.settings() != (rate, max(1, burst), budget) or _LIMITER.exceeded:
            _LIMITER.restart(max_rps=rate, burst=burst, max_requests=budget, budget_of_run=max_requests)
        return _LIMITER


def reset() -> Limiter:
    """Lift every limit and forget the counts (tests, and the end of a run)."""
    with _configure_lock:
        _LIMITER.restart()
        return _LIMITER


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float:
    """Seconds a ``Retry-After`` value asks for (delta-seconds or HTTP date), bounded to ``MAX_RETRY_AFTER``."""
    if value is None or not value.strip():
        return DEFAULT_RETRY_AFTER
    text = value.strip()
    if text.isdigit():
        seconds = float(text)
    else:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


class LimitedAdapter(HTTPAdapter):
    """A ``requests`` adapter that asks the process-wide limiter before each send and waits out 429s."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send ``request`` within the rate and budget; retry a 429 after its (bounded) ``Retry-After``."""
        for attempt in range(MAX_RETRIES + 1):
            limiter().acquire()
            sent_at = time.perf_counter()
            response = _plain_send(self, request, *args, **kwargs)
            response.sent_at = sent_at  # type: ignore[attr-defined]  # latency excludes the limiter's waits
            if response.status_code != 429 or attempt == MAX_RETRIES:
                return response
            header = response.headers.get("Retry-After")
            wait = retry_after_seconds(header)
            response.close()  # release the connection; the 429's body is not needed
            path = requests.utils.urlparse(request.url or "").path
            limiter().note_throttled(ThrottleEvent(request.method or "", path, header, wait))
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


_plain_send = HTTPAdapter.send
_install_lock = threading.Lock()


def _send_through_limiter(self: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
    """``HTTPAdapter.send`` while limits are installed: plain adapters send as a ``LimitedAdapter`` would."""
    if isinstance(self, LimitedAdapter):
        return _plain_send(self, request, *args, **kwargs)
    return LimitedAdapter.send(self, request, *args, **kwargs)  # type: ignore[arg-type]


def install_everywhere() -> None:
    """Make every ``requests`` session of this process go through the limiter, not only ours.

    Schemathesis sends some probes (e.g. its ``ignored_auth`` check's requests without credentials) on
    sessions it creates itself; this brings them under the run's rate cap and budget too. Undo with
    ``uninstall_everywhere`` (the pytest plugin does so when the session ends).
    """
    with _install_lock:
        HTTPAdapter.send = _send_through_limiter  # type: ignore[method-assign]


def uninstall_everywhere() -> None:
    """Give ``requests`` its plain ``HTTPAdapter.send`` back."""
    with _install_lock:
        HTTPAdapter.send = _plain_send  # type: ignore[method-assign]
