"""Where the orders the checks consume come from: one class per provisioning mode behind ``order(state)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from conformance.errors import UsageError
from conformance.provisioning.api import ApiProvisioner
from conformance.provisioning.base import NoOrder, NoProvisioning, OrdersExhausted, OrderUnavailable, Provisioner
from conformance.provisioning.state_url import StateUrlProvisioner
from conformance.provisioning.static import StaticProvisioner
from conformance.redaction import Redactor

if TYPE_CHECKING:  # config imports provisioning.states; avoid the cycle at import time
    from conformance.config import RunConfig

__all__ = [
    "ApiProvisioner",
    "NoOrder",
    "NoProvisioning",
    "OrderUnavailable",
    "OrdersExhausted",
    "Provisioner",
    "StateUrlProvisioner",
    "StaticProvisioner",
    "make_provisioner",
    "preflight_provisioner",
    "provisioner_for_run",
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
            settings.state_url, config.timeouts, Redactor(config.secrets), config.target.transport,
            settings.state_secret,
        )  # fmt: skip
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


def provisioner_for_run(config: RunConfig, share: tuple[int, int] = (0, 1)) -> Provisioner:
    """The run's provisioner: the configured mode's, or ``NoProvisioning`` in a run that may not change state."""
    return make_provisioner(config, share) if config.target.may_change_state else NoProvisioning()


def preflight_provisioner(config: RunConfig, provisioner: Provisioner) -> Callable[[str], str] | None:
    """What the preflight may provision with: nothing in a run that may not change state or in static mode."""
    if not config.target.may_change_state:
        return None
    return provisioner.order if isinstance(provisioner, StateUrlProvisioner | ApiProvisioner) else None
