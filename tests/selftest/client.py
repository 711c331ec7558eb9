"""A small HTTP client for talking to a test target directly (setup, reject, confirm, detail)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.targets import Target

TIMEOUT = (2.0, 10.0)

PENDING = "a pending order cancellation"
NO_REQUEST = "an order without a cancellation request"
REJECTED = "a rejected order cancellation"
CONFIRMED = "a confirmed order cancellation"
OTHER_PENDING = "another supplier's pending order cancellation"


class TargetClient:
    """Requests against one target with a role's credentials; every request has a timeout."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.session = requests.Session()

    def auth(self, role: str | None = "supplier") -> dict[str, str]:
        """The Authorization header for a role (none for ``None``)."""
        return {} if role is None else {"Authorization": f"Token {self.target.credentials[role]}"}

    def setup(self, state: str) -> str:
        """Create an order in a provider state and return its UUID."""
        response = self.session.post(
            self.target.state_url, json={"action": "setup", "state": state, "params": {}}, timeout=TIMEOUT
        )
        response.raise_for_status()
        return response.json()["order_uuid"]

    def request(
        self,
        method: str,
        path: str,
        role: str | None = "supplier",
        *,
        session: requests.Session | None = None,
        **kwargs: object,
    ) -> requests.Response:
        """Send one request to a path on the target, without following redirects."""
        headers = {**self.auth(role), **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        return (session or self.session).request(
            method,
            self.target.base_url + path,
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
            **kwargs,  # type: ignore[arg-type]
        )

    def reject(self, order_uuid: str, role: str | None = "supplier", **kwargs: object) -> requests.Response:
        """PATCH the reject URL."""
        return self.request("PATCH", reject_path(order_uuid), role, **kwargs)

    def confirm(self, order_uuid: str, role: str | None = "supplier", **kwargs: object) -> requests.Response:
        """PATCH the confirm URL."""
        return self.request("PATCH", f"/timp/orders/cancel/{order_uuid}/confirm/", role, **kwargs)

    def detail(self, order_uuid: str, role: str = "supplier") -> requests.Response:
        """GET the order detail."""
        return self.request("GET", f"/timp/orders/{order_uuid}/", role)

    def cancelled(self, order_uuid: str) -> bool:
        """Whether any line item of the order shows Cancelled (as the supplier sees it)."""
        response = self.detail(order_uuid)
        response.raise_for_status()
        return any(item["status"] == "Cancelled" for item in response.json()["line_items"])

    def together(self, calls: list[tuple[str, str]]) -> list[requests.Response]:
        """Send (method-name, order_uuid) calls at once from threads released by one barrier."""
        barrier = threading.Barrier(len(calls))

        def send(call: tuple[str, str]) -> requests.Response:
            action, order_uuid = call
            session = requests.Session()
            barrier.wait(timeout=10)
            path = f"/timp/orders/cancel/{order_uuid}/{action}/"
            return self.request("PATCH", path, session=session)

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(send, calls))


def reject_path(order_uuid: str) -> str:
    """The reject URL path for an identifier (inserted verbatim)."""
    return f"/timp/orders/cancel/{order_uuid}/reject/"


def random_uuid() -> str:
    """A well-formed UUID that names no order."""
    return str(uuid.uuid4())


def is_success(response: requests.Response) -> bool:
    """Whether the status is 2xx."""
    return 200 <= response.status_code < 300
