"""Schemathesis CLI hooks (``hooks = "conformance.fuzz.hooks"`` in the root ``schemathesis.toml``).

Gives ``st run specs/openapi.yaml`` what the pytest fuzz stage has: the REJ-023 and REJ-053 checks, the
auth provider (``CRUX_SUPPLIER_TOKEN``, and ``CRUX_RETAILER_TOKEN`` for the retailer's cancel order) and
the identifier strategy. When ``CRUX_STATE_URL`` names the target's provider-state endpoint, the strategy
also draws orders from it (pending, not pending, confirmed, another organization's), as the suite does;
``CRUX_PROVIDER_STATES_SECRET`` is sent with those calls when the endpoint is guarded.
Tokens come from the environment only, so the settings file holds no secret and no placeholder.
"""

from __future__ import annotations

import os

import schemathesis

from conformance.config import Timeouts
from conformance.fuzz import checks as _checks  # noqa: F401  (registers the custom checks)
from conformance.fuzz.auth import SupplierTokenAuth
from conformance.fuzz.binding import ENVIRONMENT
from conformance.fuzz.identifiers import IdentifierPool, register_identifier_format
from conformance.fuzz.settings import DEFAULT_EXAMPLES
from conformance.provisioning import StateUrlProvisioner
from conformance.redaction import Redactor
from conformance.state_secret import SECRET_ENVIRONMENT_VARIABLE

STATE_URL_VARIABLE = "CRUX_STATE_URL"
SUPPLIER_VARIABLE = "CRUX_SUPPLIER_TOKEN"
RETAILER_VARIABLE = "CRUX_RETAILER_TOKEN"


def configure_from_environment() -> IdentifierPool | None:
    """Bind the tokens and register the identifier strategy; bind a pool when ``CRUX_STATE_URL`` is set."""
    ENVIRONMENT.tokens.update(
        supplier=os.environ.get(SUPPLIER_VARIABLE) or None, retailer=os.environ.get(RETAILER_VARIABLE) or None
    )
    register_identifier_format()
    state_url = os.environ.get(STATE_URL_VARIABLE, "").strip()
    if not state_url:
        return None
    secret = os.environ.get(SECRET_ENVIRONMENT_VARIABLE, "").strip() or None  # a guarded endpoint's secret
    provisioner = StateUrlProvisioner(state_url, Timeouts(), Redactor([secret] if secret else []), secret=secret)
    pool = IdentifierPool(provisioner, max_pending=DEFAULT_EXAMPLES)
    ENVIRONMENT.pool = pool
    return pool


schemathesis.auth(refresh_interval=None)(SupplierTokenAuth)
configure_from_environment()
