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

import json
import os
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from conformance.errors import UsageError
from conformance.provisioning.states import STATIC_KEYS
from conformance.safety import is_production_url
from conformance.transport.settings import TRANSPORT_KEYS, TransportSettings, transport_settings
from conformance.url_checks import checked_http_url, mask_url_password, url_passwords

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


def render_config(
    base_url: str, credentials: Mapping[str, str], provisioning: Mapping[str, Any], *, comment: str | None = None
) -> str:
    """A ready conformance.toml in CONTRACT.md's format for a known target (servers write their own).

    ``provisioning`` holds ``mode`` and its keys; a mapping value becomes a ``[provisioning.NAME]`` table.
    Credentials are written as given: the file is meant to carry them.
    """
    lines = [f"# {comment}"] if comment else []
    lines += ["[target]", f"base_url = {_toml_string(base_url)}", "destructive = true", "production = false", ""]
    lines += ["[credentials]", *(f"{role} = {_toml_string(secret)}" for role, secret in credentials.items()), ""]
    lines += ["[provisioning]"]
    lines += [f"{key} = {_toml_string(value)}" for key, value in provisioning.items() if not isinstance(value, Mapping)]
    for name, table in provisioning.items():
        if isinstance(table, Mapping):
            lines += ["", f"[provisioning.{name}]", *(f"{key} = {_toml_string(value)}" for key, value in table.items())]
    return "\n".join(lines) + "\n"


def _toml_string(value: object) -> str:
    """A TOML basic string: JSON's string escapes are valid TOML."""
    return json.dumps(str(value))


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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{source}: invalid TOML: {error}") from None
    _reject_unknown_keys(data, source)
    target_values = data.get("target", {})
    target = _target(target_values, source)
    config = RunConfig(
        target=target,
        credentials=_credentials(data.get("credentials", {}), source),
        provisioning=_provisioning(data.get("provisioning", {}), source),
        timeouts=_timeouts(data.get("timeouts", {}), source),
        concurrency=_concurrency(data.get("checks", {}), source),
        max_p95_ms=_latency(data.get("latency", {}), source),
        max_rps=_max_rps(target_values.get("max_rps"), f"{source}: target.max_rps"),
        max_requests=_max_requests(target_values.get("max_requests"), f"{source}: target.max_requests"),
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
    unknown = set(overrides) - set(OVERRIDES)
    if unknown:
        raise ValueError(f"unknown overrides: {sorted(unknown)}")
    target = config.target
    if overrides.get("base_url"):
        target = replace(target, base_url=_base_url(overrides["base_url"], "--base-url"))
    if overrides.get("allow_production"):
        target = replace(target, allow_production=True)
    config = replace(config, target=target)
    if overrides.get("max_rps") is not None:
        config = replace(config, max_rps=_max_rps(overrides["max_rps"], "--max-rps"))
    if overrides.get("max_requests") is not None:
        config = replace(config, max_requests=_max_requests(overrides["max_requests"], "--max-requests"))
    for key in ("connect", "read"):
        seconds = overrides.get(f"{key}_timeout")
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= MAX_TIMEOUT:
                raise UsageError(f"--{key}-timeout must be between 0 and {MAX_TIMEOUT:g} seconds, got {seconds}")
            config = replace(config, timeouts=replace(config.timeouts, **{key: float(seconds)}))
    return config


def _reject_unknown_keys(data: Mapping[str, Any], source: str) -> None:
    for section, values in data.items():
        if section not in _SECTIONS:
            raise UsageError(f"{source}: unknown section [{section}] (known: {', '.join(_SECTIONS)})")
        if not isinstance(values, dict):
            raise UsageError(f"{source}: [{section}] must be a table")
        for key in values:
            if key not in _SECTIONS[section]:
                raise UsageError(
                    f"{source}: unknown key '{key}' in [{section}] (known: {', '.join(_SECTIONS[section])})"
                )


def _typed(values: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, source: str) -> Any:
    value = values[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise UsageError(f"{source}: {where}.{key} must be a number, not a boolean")
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else "number"
        raise UsageError(f"{source}: {where}.{key} must be a {expected}")
    return value


def _base_url(value: str, where: str) -> str:
    return checked_http_url(value, where)


def _target(values: Mapping[str, Any], source: str) -> Target:
    base_url = None
    if "base_url" in values:
        raw = _resolve(_typed(values, "base_url", str, "target", source), "target.base_url", source)
        base_url = _base_url(raw, f"{source}: target.base_url")
    destructive = _typed(values, "destructive", bool, "target", source) if "destructive" in values else True
    production = _typed(values, "production", bool, "target", source) if "production" in values else None
    transport = transport_settings(values, source, lambda raw, where: _resolve(raw, where, source))
    return Target(base_url=base_url, destructive=destructive, production_setting=production, transport=transport)


def _max_rps(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 10_000:
        raise UsageError(f"{where} must be a number of requests per second above 0 (at most 10000)")
    return float(value)


def _max_requests(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{where} must be a whole number of requests, at least 1")
    return value


def _credentials(values: Mapping[str, Any], source: str) -> Credentials:
    secrets: dict[str, str] = {}
    for role in values:
        raw = _typed(values, role, str, "credentials", source)
        secret = _resolve(raw, f"credentials.{role}", source)
        if not secret:
            raise UsageError(f"{source}: credentials.{role} is empty")
        secrets[role] = secret
    return Credentials(secrets)


def _resolve(raw: str, where: str, source: str) -> str:
    if not raw.startswith("env:"):
        return raw
    name = raw[len("env:") :]
    if not name:
        raise UsageError(f"{source}: {where}: 'env:' needs a variable name")
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"{source}: {where}: environment variable {name} is not set")
    return value


def _provisioning(values: Mapping[str, Any], source: str) -> Provisioning:
    mode = _typed(values, "mode", str, "provisioning", source) if "mode" in values else "state-url"
    if mode not in MODES:
        raise UsageError(f"{source}: unknown provisioning mode {mode!r} (known: {', '.join(MODES)})")
    state_url = None
    if "state_url" in values:
        raw = _resolve(_typed(values, "state_url", str, "provisioning", source), "provisioning.state_url", source)
        state_url = _base_url(raw, f"{source}: state_url")
    state_secret = None
    if "state_secret" in values:
        raw = _resolve(_typed(values, "state_secret", str, "provisioning", source), "provisioning.state_secret", source)
        state_secret = raw or None
    static: dict[str, tuple[str, ...]] = {}
    if "static" in values:
        table = _typed(values, "static", dict, "provisioning", source)
        for key, uuids in table.items():
            if key not in STATIC_KEYS:
                raise UsageError(
                    f"{source}: unknown key '{key}' in [provisioning.static] (known: {', '.join(STATIC_KEYS)})"
                )
            if not isinstance(uuids, list) or not all(isinstance(item, str) and item for item in uuids):
                raise UsageError(f"{source}: provisioning.static.{key} must be an array of UUID strings")
            static[key] = tuple(uuids)
    if mode == "static" and not static:
        raise UsageError(f"{source}: provisioning mode 'static' needs a [provisioning.static] table")
    api = _api(values["api"], source) if "api" in values else None
    if mode == "api" and api is None:
        raise UsageError(
            f"{source}: provisioning mode 'api' needs a [provisioning.api] table with sku_id and "
            "supplier_organization_uuid"
        )
    return Provisioning(mode=mode, state_url=state_url, static=static, api=api, state_secret=state_secret)


def _api(table: Any, source: str) -> ApiProvisioning:
    if not isinstance(table, dict):
        raise UsageError(f"{source}: [provisioning.api] must be a table")
    for key in table:
        if key not in API_KEYS:
            raise UsageError(f"{source}: unknown key '{key}' in [provisioning.api] (known: {', '.join(API_KEYS)})")
    for key in ("sku_id", "supplier_organization_uuid"):
        if key not in table:
            raise UsageError(f"{source}: [provisioning.api] needs {key}")
    texts = {key: _typed(table, key, str, "provisioning.api", source).strip() for key in table}
    for key, text in texts.items():
        if not text and key != "po_number_prefix":
            raise UsageError(f"{source}: provisioning.api.{key} is empty")
    for key in ("supplier_organization_uuid", "other_supplier_organization_uuid"):
        if key in texts:
            try:
                texts[key] = str(uuid.UUID(texts[key]))
            except ValueError:
                raise UsageError(f"{source}: provisioning.api.{key} must be a UUID, got {texts[key]!r}") from None
    prefix = texts.get("po_number_prefix", DEFAULT_PO_NUMBER_PREFIX)
    if len(prefix) > 60:
        raise UsageError(f"{source}: provisioning.api.po_number_prefix is too long (at most 60 characters)")
    return ApiProvisioning(
        sku_id=texts["sku_id"],
        supplier_organization_uuid=texts["supplier_organization_uuid"],
        other_supplier_organization_uuid=texts.get("other_supplier_organization_uuid"),
        other_supplier_sku_id=texts.get("other_supplier_sku_id"),
        po_number_prefix=prefix,
    )


def _timeouts(values: Mapping[str, Any], source: str) -> Timeouts:
    result = Timeouts()
    for key in ("connect", "read"):
        if key in values:
            seconds = float(_typed(values, key, (int, float), "timeouts", source))
            if not 0 < seconds <= 300:
                raise UsageError(f"{source}: timeouts.{key} must be between 0 and 300 seconds")
            result = replace(result, **{key: seconds})
    return result


def _concurrency(values: Mapping[str, Any], source: str) -> int:
    if "concurrency" not in values:
        return 8
    count = _typed(values, "concurrency", int, "checks", source)
    if not 2 <= count <= 64:
        raise UsageError(f"{source}: checks.concurrency must be between 2 and 64")
    return count


def _latency(values: Mapping[str, Any], source: str) -> float | None:
    if "max_p95_ms" not in values:
        return None
    limit = float(_typed(values, "max_p95_ms", (int, float), "latency", source))
    if limit <= 0:
        raise UsageError(f"{source}: latency.max_p95_ms must be positive")
    return limit
