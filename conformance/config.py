"""Load and validate the run configuration (TOML file plus command-line overrides) into one ``RunConfig``.

The file format is CONTRACT.md's, plus a few optional sections this module documents::

    [target]          base_url, destructive = true, production = (see below),
                      max_rps (optional: requests per second, across all checks, threads and the
                      fuzz stage; run --max-rps overrides), max_requests (optional: the run's request
                      budget; exceeding it stops the run with exit 2; run --max-requests overrides),
                      ca_bundle, client_cert, client_key, proxy, verify = true, max_body_bytes = 1048576
                      (TLS trust, mutual TLS, proxy and kept body size: ``conformance.transport.settings``)
    [credentials]     supplier, supplier_no_permission, other_supplier, retailer, expired, session_id
                      (a value "env:NAME" is read from environment variable NAME; so are
                      base_url and state_url, for pipelines that keep the target's address in CI secrets)
    [provisioning]    mode = "state-url" | "api" | "static", state_url (mode state-url), state_secret
                      (optional, e.g. "env:CRUX_PROVIDER_STATES_SECRET": sent to state_url in the
                      X-Provider-States-Secret header; redacted like the credentials)
    [provisioning.api]
                      (mode api: orders are made through the documented API, needs the `retailer`
                      credential) sku_id, supplier_organization_uuid, other_supplier_organization_uuid
                      (required when an `other_supplier` credential is configured), other_supplier_sku_id
                      (default: sku_id), po_number_prefix = "crux-conformance-" (orders the suite
                      creates carry it, so they can be found and cleaned up)
    [provisioning.static]
                      one array of order UUIDs per state, each used at most once per run:
                      pending, without_cancellation, rejected, confirmed, other_supplier_pending;
                      a run that needs one more than its list holds stops with exit 2 naming the state
    [timeouts]        connect = 3.05, read = 10.0   (seconds, per request)
    [checks]          concurrency = 8               (REJ-013's simultaneous rejects)
    [latency]         max_p95_ms = 500              (optional: REJ-070 fails above it)

``production``: when absent, a target whose host is a documented production host (the generated
spec's Production server, ``conformance.safety``) is production; ``production = false`` says explicitly
that it is not. Destructive checks on production need ``--allow-production``. ``destructive = false``
makes a read-only run: nothing is provisioned (no state_url needed) and state-changing requests only go
to identifiers that name no order. Passwords in base_url and state_url are secrets too (masked everywhere).

``max_rps`` is a token bucket whose burst is ``[checks] concurrency`` requests, so REJ-013/014 still send
their requests together; under ``-- -n N`` each worker gets 1/N of the rate and of the budget.

Every problem is a ``UsageError`` (exit 4) with one line naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from conformance.errors import UsageError
from conformance.safety import is_production_url
from conformance.transport.settings import TRANSPORT_KEYS, TransportSettings
from conformance.url_checks import mask_url_password, url_passwords

ROLES = ("supplier", "supplier_no_permission", "other_supplier", "retailer", "expired", "session_id")
MODES = ("state-url", "static", "api")
API_KEYS = (
    "sku_id",
    "supplier_organization_uuid",
    "other_supplier_organization_uuid",
    "other_supplier_sku_id",
    "po_number_prefix",
)
DEFAULT_PO_NUMBER_PREFIX = "crux-conformance-"

_SECTIONS: dict[str, tuple[str, ...]] = {
    "target": ("base_url", "destructive", "production", "max_rps", "max_requests", *TRANSPORT_KEYS),
    "credentials": ROLES,
    "provisioning": ("mode", "state_url", "state_secret", "static", "api"),
    "timeouts": ("connect", "read"),
    "checks": ("concurrency",),
    "latency": ("max_p95_ms",),
}


@dataclass(frozen=True)
class Target:
    """Where the checks go and what they may do there."""

    base_url: str | None = None
    destructive: bool = True
    production_setting: bool | None = None  # None: the config does not say
    allow_production: bool = False
    transport: TransportSettings = field(default_factory=TransportSettings)

    def __repr__(self) -> str:
        return f"Target(base_url={mask_url_password(str(self.base_url))!r}, destructive={self.destructive})"

    @property
    def production(self) -> bool:
        """True when the config says so, or (unless it says ``production = false``) the host is production."""
        if self.production_setting is not None:
            return self.production_setting
        return is_production_url(self.base_url)

    @property
    def may_change_state(self) -> bool:
        """True when destructive checks may run against this target."""
        return self.destructive and (not self.production or self.allow_production)


@dataclass(frozen=True)
class Credentials:
    """Secrets by role; never shown by ``repr``."""

    secrets: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Credentials(roles={sorted(self.secrets)})"

    def get(self, role: str) -> str | None:
        """Return the secret for ``role`` or None when it is not configured."""
        return self.secrets.get(role)

    def has(self, role: str) -> bool:
        """True when ``role`` has a secret."""
        return role in self.secrets


@dataclass(frozen=True)
class ApiProvisioning:
    """Mode ``api``: what the documented create-order call needs, and the prefix of the orders it makes."""

    sku_id: str
    supplier_organization_uuid: str
    other_supplier_organization_uuid: str | None = None
    other_supplier_sku_id: str | None = None
    po_number_prefix: str = DEFAULT_PO_NUMBER_PREFIX


@dataclass(frozen=True)
class Provisioning:
    """Where the orders the checks consume come from."""

    mode: str = "state-url"
    state_url: str | None = None
    static: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    api: ApiProvisioning | None = None
    state_secret: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"Provisioning(mode={self.mode!r}, state_url={mask_url_password(str(self.state_url))!r})"


@dataclass(frozen=True)
class Timeouts:
    """Per-request connect and read timeouts, in seconds."""

    connect: float = 3.05
    read: float = 10.0

    def as_tuple(self) -> tuple[float, float]:
        """Return the (connect, read) pair requests expects."""
        return (self.connect, self.read)

    def longest_request(self) -> float:
        """The longest one request may take before it counts as unanswered: connect plus read."""
        return self.connect + self.read


@dataclass(frozen=True)
class RunConfig:
    """Everything one run needs, immutable."""

    target: Target = field(default_factory=Target)
    credentials: Credentials = field(default_factory=Credentials)
    provisioning: Provisioning = field(default_factory=Provisioning)
    timeouts: Timeouts = field(default_factory=Timeouts)
    concurrency: int = 8
    max_p95_ms: float | None = None
    max_rps: float | None = None
    max_requests: int | None = None
    source: str = "defaults"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret of the run (for redaction): credentials, the provider-states secret, URL passwords."""
        extra = (self.provisioning.state_secret,) if self.provisioning.state_secret else ()
        urls = (self.target.base_url, self.provisioning.state_url)
        return (*self.credentials.secrets.values(), *extra, *url_passwords(urls))

    def require_runnable(self) -> None:
        """Raise UsageError unless the config names a base URL and a ``supplier`` credential."""
        if not self.target.base_url:
            raise UsageError(f"{self.source}: no base URL: set [target] base_url or pass --base-url")
        if not self.credentials.has("supplier"):
            raise UsageError(
                f"{self.source}: no `supplier` credential: set [credentials] supplier (every check needs it)"
            )
        if not self.target.may_change_state:
            return  # a read-only run provisions nothing: no state_url, no retailer needed
        if self.provisioning.mode == "state-url" and not self.provisioning.state_url:
            raise UsageError(f"{self.source}: provisioning mode 'state-url' needs [provisioning] state_url")
        if self.provisioning.mode == "api":
            if not self.credentials.has("retailer"):
                raise UsageError(
                    f"{self.source}: provisioning mode 'api' needs a `retailer` credential "
                    "(orders are created and cancelled as the retailer)"
                )
            api = self.provisioning.api
            if api is not None and self.credentials.has("other_supplier") and not api.other_supplier_organization_uuid:
                raise UsageError(
                    f"{self.source}: an `other_supplier` credential in provisioning mode 'api' needs "
                    "[provisioning.api] other_supplier_organization_uuid"
                )


def load_config(path: Path | None, overrides: Mapping[str, Any] | None = None) -> RunConfig:
    """Read ``path`` (or start from defaults when None) and apply overrides (see ``apply_overrides``)."""
    if path is None:
        return apply_overrides(RunConfig(), overrides or {})
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"config file not found: {source}") from None
    except IsADirectoryError:
        raise UsageError(f"config path is a directory, not a file: {source}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read config file {source}: {error.__class__.__name__}") from None
    return parse_config(text, source, overrides)


def parse_config(text: str, source: str, overrides: Mapping[str, Any] | None = None) -> RunConfig:
    """Parse TOML ``text`` (named ``source`` in messages) into a RunConfig and apply overrides."""
    from conformance.config_tables import (  # the table readers need this module's types: imported on use
        read_concurrency,
        read_credentials,
        read_latency,
        read_max_requests,
        read_max_rps,
        read_provisioning,
        read_target,
        read_timeouts,
        reject_unknown_keys,
    )

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{source}: invalid TOML: {error}") from None
    reject_unknown_keys(data, source)
    target_values = data.get("target", {})
    target = read_target(target_values, source)
    config = RunConfig(
        target=target,
        credentials=read_credentials(data.get("credentials", {}), source),
        provisioning=read_provisioning(data.get("provisioning", {}), source),
        timeouts=read_timeouts(data.get("timeouts", {}), source),
        concurrency=read_concurrency(data.get("checks", {}), source),
        max_p95_ms=read_latency(data.get("latency", {}), source),
        max_rps=read_max_rps(target_values.get("max_rps"), f"{source}: target.max_rps"),
        max_requests=read_max_requests(target_values.get("max_requests"), f"{source}: target.max_requests"),
        source=source,
    )
    return apply_overrides(config, overrides or {})


#: What the command line (or the plugin's options) may override, by key.
OVERRIDES = ("base_url", "allow_production", "max_rps", "max_requests", "connect_timeout", "read_timeout")
#: The longest timeout a run accepts, in seconds (config and flags alike).
MAX_TIMEOUT = 300.0


def apply_overrides(config: RunConfig, overrides: Mapping[str, Any]) -> RunConfig:
    """Return ``config`` with command-line values taking precedence.

    Known overrides: ``base_url``, ``allow_production``, ``max_rps``, ``max_requests``, ``connect_timeout``,
    ``read_timeout`` (None: not given).
    """
    from conformance.config_tables import http_url, read_max_requests, read_max_rps

    unknown = set(overrides) - set(OVERRIDES)
    if unknown:
        raise ValueError(f"unknown overrides: {sorted(unknown)}")
    target = config.target
    if overrides.get("base_url"):
        target = replace(target, base_url=http_url(overrides["base_url"], "--base-url"))
    if overrides.get("allow_production"):
        target = replace(target, allow_production=True)
    config = replace(config, target=target)
    if overrides.get("max_rps") is not None:
        config = replace(config, max_rps=read_max_rps(overrides["max_rps"], "--max-rps"))
    if overrides.get("max_requests") is not None:
        config = replace(config, max_requests=read_max_requests(overrides["max_requests"], "--max-requests"))
    for key in ("connect", "read"):
        seconds = overrides.get(f"{key}_timeout")
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= MAX_TIMEOUT:
                raise UsageError(f"--{key}-timeout must be between 0 and {MAX_TIMEOUT:g} seconds, got {seconds}")
            config = replace(config, timeouts=replace(config.timeouts, **{key: float(seconds)}))
    return config
