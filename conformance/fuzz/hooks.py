"""Schemathesis CLI hooks (``hooks = "conformance.fuzz.hooks"`` in the root ``schemathesis.toml``).

Gives ``st run specs/openapi.yaml`` what the pytest fuzz stage has: the REJ-023 and REJ-053 checks and
the identifier strategy. When ``CRUX_STATE_URL`` names the target's provider-state endpoint, the strategy
also draws orders from it (pending, not pending, confirmed, another organization's), as the suite does.
"""

from __future__ import annotations

import os

from conformance.config import Timeouts
from conformance.fuzz import checks as _checks  # noqa: F401  (registers the custom checks)
from conformance.fuzz.identifiers import IdentifierPool, bind_pool, register_identifier_format
from conformance.fuzz.settings import DEFAULT_EXAMPLES
from conformance.provisioning import StateUrlProvisioner
from conformance.redaction import Redactor

STATE_URL_VARIABLE = "CRUX_STATE_URL"


def configure_from_environment() -> IdentifierPool | None:
    """Register the identifier strategy; bind a pool when ``CRUX_STATE_URL`` is set (None otherwise)."""
    register_identifier_format()
    state_url = os.environ.get(STATE_URL_VARIABLE, "").strip()
    if not state_url:
        return None
    pool = IdentifierPool(StateUrlProvisioner(state_url, Timeouts(), Redactor()), max_pending=DEFAULT_EXAMPLES)
    bind_pool(pool)
    return pool


configure_from_environment()
