"""Mode ``state-url``: ask the target's provider-state endpoint for each order, as Pact does."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import requests

from conformance.errors import TargetError
from conformance.redaction import Redactor
from conformance.state_secret import SECRET_HEADER
from conformance.transport import ThreadSessions, TransportSettings, describe_failure

if TYPE_CHECKING:
    from conformance.config import Timeouts


class StateUrlProvisioner:
    """``POST {state_url}`` with ``{"action": "setup", "state": STATE, "params": {}}``; reads ``order_uuid``."""

    def __init__(
        self,
        state_url: str,
        timeouts: Timeouts,
        redactor: Redactor,
        transport: TransportSettings | None = None,
        secret: str | None = None,
    ) -> None:
        self.state_url = state_url
        self._headers = {SECRET_HEADER: secret} if secret else {}  # [provisioning] state_secret
        self.timeouts = timeouts
        self.redactor = redactor
        self._sessions = ThreadSessions(transport)  # provisioning counts against rate and budget

    def __repr__(self) -> str:
        return f"StateUrlProvisioner({self.redactor.text(self.state_url)!r})"

    def _session(self) -> requests.Session:
        session = self._sessions.get()
        session.headers.update(self._headers)  # [provisioning] state_secret, on every thread's session
        return session

    def order(self, state: str) -> str:
        """Set up one order in ``state``; TargetError (exit 2) names the state and what went wrong."""
        shown_url = self.redactor.text(self.state_url)
        payload = {"action": "setup", "state": state, "params": {}}
        try:
            response = self._session().post(
                self.state_url, json=payload, timeout=self.timeouts.as_tuple(), allow_redirects=False
            )
        except requests.RequestException as error:
            proxy = self._sessions.settings.proxy_for(self.state_url)
            reason = describe_failure(error, self.state_url, timeouts=self.timeouts.as_tuple(), proxy=proxy)
            raise TargetError(
                f"provisioning failed: POST {shown_url} for state {state!r} got no answer: {self.redactor.text(reason)}"
            ) from None
        if response.status_code not in (200, 201):
            raise TargetError(
                f"provisioning failed: POST {shown_url} for state {state!r} answered {response.status_code}"
            )
        try:
            order_uuid = response.json()["order_uuid"]
            return str(uuid.UUID(str(order_uuid)))
        except (ValueError, KeyError, TypeError):
            raise TargetError(
                f"provisioning failed: POST {shown_url} for state {state!r} answered "
                f"{response.status_code} without an 'order_uuid' UUID in a JSON body"
            ) from None
