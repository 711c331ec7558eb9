"""Each table of a run's TOML configuration, read and validated into its part of ``RunConfig``.

``conformance.config`` owns the format (documented there) and the ``RunConfig`` it builds; this module
reads one table at a time, so every problem is a ``UsageError`` (exit 4) naming the file and the key.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from conformance.config import (
    _SECTIONS,
    API_KEYS,
    DEFAULT_PO_NUMBER_PREFIX,
    MODES,
    ApiProvisioning,
    Credentials,
    Provisioning,
    Target,
    Timeouts,
)
from conformance.errors import UsageError
from conformance.provisioning.states import STATIC_KEYS
from conformance.transport.settings import transport_settings
from conformance.url_checks import checked_http_url


def reject_unknown_keys(data: Mapping[str, Any], source: str) -> None:
    """Refuse a section or key the format does not know (one line naming it)."""
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


def typed_value(values: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, source: str) -> Any:
    """``values[key]`` when it has the expected type (a boolean is never a number)."""
    value = values[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise UsageError(f"{source}: {where}.{key} must be a number, not a boolean")
    if not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else "number"
        raise UsageError(f"{source}: {where}.{key} must be a {expected}")
    return value


def http_url(value: str, where: str) -> str:
    """A checked http(s) URL (one line naming ``where`` when it is not one)."""
    return checked_http_url(value, where)


def read_target(values: Mapping[str, Any], source: str) -> Target:
    """The ``[target]`` table."""
    base_url = None
    if "base_url" in values:
        raw = resolve_env(typed_value(values, "base_url", str, "target", source), "target.base_url", source)
        base_url = http_url(raw, f"{source}: target.base_url")
    destructive = typed_value(values, "destructive", bool, "target", source) if "destructive" in values else True
    production = typed_value(values, "production", bool, "target", source) if "production" in values else None
    transport = transport_settings(values, source, lambda raw, where: resolve_env(raw, where, source))
    return Target(base_url=base_url, destructive=destructive, production_setting=production, transport=transport)


def read_max_rps(value: Any, where: str) -> float | None:
    """A request rate above 0 (at most 10000), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 10_000:
        raise UsageError(f"{where} must be a number of requests per second above 0 (at most 10000)")
    return float(value)


def read_max_requests(value: Any, where: str) -> int | None:
    """A request budget of at least 1, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{where} must be a whole number of requests, at least 1")
    return value


def read_credentials(values: Mapping[str, Any], source: str) -> Credentials:
    """The ``[credentials]`` table (``env:NAME`` values resolved)."""
    secrets: dict[str, str] = {}
    for role in values:
        raw = typed_value(values, role, str, "credentials", source)
        secret = resolve_env(raw, f"credentials.{role}", source)
        if not secret:
            raise UsageError(f"{source}: credentials.{role} is empty")
        secrets[role] = secret
    return Credentials(secrets)


def resolve_env(raw: str, where: str, source: str) -> str:
    """``raw``, or the environment variable it names as ``env:NAME`` (which must be set)."""
    if not raw.startswith("env:"):
        return raw
    name = raw[len("env:") :]
    if not name:
        raise UsageError(f"{source}: {where}: 'env:' needs a variable name")
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"{source}: {where}: environment variable {name} is not set")
    return value


def read_provisioning(values: Mapping[str, Any], source: str) -> Provisioning:
    """The ``[provisioning]`` table and its ``api`` and ``static`` sub-tables."""
    mode = typed_value(values, "mode", str, "provisioning", source) if "mode" in values else "state-url"
    if mode not in MODES:
        raise UsageError(f"{source}: unknown provisioning mode {mode!r} (known: {', '.join(MODES)})")
    state_url = None
    if "state_url" in values:
        raw = resolve_env(
            typed_value(values, "state_url", str, "provisioning", source), "provisioning.state_url", source
        )
        state_url = http_url(raw, f"{source}: state_url")
    state_secret = None
    if "state_secret" in values:
        raw = resolve_env(
            typed_value(values, "state_secret", str, "provisioning", source), "provisioning.state_secret", source
        )
        state_secret = raw or None
    static: dict[str, tuple[str, ...]] = {}
    if "static" in values:
        table = typed_value(values, "static", dict, "provisioning", source)
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
    api = read_api(values["api"], source) if "api" in values else None
    if mode == "api" and api is None:
        raise UsageError(
            f"{source}: provisioning mode 'api' needs a [provisioning.api] table with sku_id and "
            "supplier_organization_uuid"
        )
    return Provisioning(mode=mode, state_url=state_url, static=static, api=api, state_secret=state_secret)


def read_api(table: Any, source: str) -> ApiProvisioning:
    """The ``[provisioning.api]`` table."""
    if not isinstance(table, dict):
        raise UsageError(f"{source}: [provisioning.api] must be a table")
    for key in table:
        if key not in API_KEYS:
            raise UsageError(f"{source}: unknown key '{key}' in [provisioning.api] (known: {', '.join(API_KEYS)})")
    for key in ("sku_id", "supplier_organization_uuid"):
        if key not in table:
            raise UsageError(f"{source}: [provisioning.api] needs {key}")
    texts = {key: typed_value(table, key, str, "provisioning.api", source).strip() for key in table}
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


def read_timeouts(values: Mapping[str, Any], source: str) -> Timeouts:
    """The ``[timeouts]`` table."""
    result = Timeouts()
    for key in ("connect", "read"):
        if key in values:
            seconds = float(typed_value(values, key, (int, float), "timeouts", source))
            if not 0 < seconds <= 300:
                raise UsageError(f"{source}: timeouts.{key} must be between 0 and 300 seconds")
            result = replace(result, **{key: seconds})
    return result


def read_concurrency(values: Mapping[str, Any], source: str) -> int:
    """``[checks] concurrency``."""
    if "concurrency" not in values:
        return 8
    count = typed_value(values, "concurrency", int, "checks", source)
    if not 2 <= count <= 64:
        raise UsageError(f"{source}: checks.concurrency must be between 2 and 64")
    return count


def read_latency(values: Mapping[str, Any], source: str) -> float | None:
    """``[latency] max_p95_ms``, or None."""
    if "max_p95_ms" not in values:
        return None
    limit = float(typed_value(values, "max_p95_ms", (int, float), "latency", source))
    if limit <= 0:
        raise UsageError(f"{source}: latency.max_p95_ms must be positive")
    return limit
