"""Where the orders the checks consume come from: one class per provisioning mode behind ``order(state)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.errors import UsageError
from conformance.provisioning.api import ApiProvisioner
from conformance.provisioning.base import Exhausted, Provisioner, Unavailable
from conformance.provisioning.state_url import StateUrlProvisioner
from conformance.provisioning.static import StaticProvisioner
from conformance.redaction import Redactor

if TYPE_CHECKING:  # config imports provisioning.states; avoid the cycle at import time
    from conformance.config import RunConfig

__all__ = [
    "ApiProvisioner",
    "Exhausted",
    "Provisioner",
    "StateUrlProvisioner",
    "StaticProvisioner",
    "Unavailable",
    "make_provisioner",
]


def make_provisioner(config: RunConfig, share: tuple[int, int] = (0, 1)) -> Provisioner:
    """Build the provisioner the config's ``[provisioning] mode`` names.

    ``share`` is ``(index, count)`` of parallel workers: in static mode worker ``index`` takes every
    ``count``-th UUID of each list, so no UUID is used twice in one run.
    """
    settings = config.provisioning
    if settings.mode == "state-url":
        if not settings.state_url:
            raise UsageError(f"{config.source}: provisioning mode 'state-url' needs [provisioning] state_url")
        return StateUrlProvisioner(
            settings.state_url, config.timeouts, Redactor(config.secrets), config.target.transport
        )
    if settings.mode == "static":
        index, count = share
        return StaticProvisioner({key: uuids[index::count] for key, uuids in settings.static.items()})
    if settings.mode == "api":
        if settings.api is None or not config.target.base_url:
            raise UsageError(f"{config.source}: provisioning mode 'api' needs a base URL and [provisioning.api]")
        return ApiProvisioner(
            config.target.base_url, config.credentials.secrets, settings.api, config.timeouts,
            Redactor(config.secrets), config.target.transport,
        )  # fmt: skip
    raise UsageError(f"provisioning mode {settings.mode!r} is not supported")
