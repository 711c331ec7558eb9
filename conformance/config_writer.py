"""Writes a ready run configuration (``conformance.toml``) for a known target, in CONTRACT.md's format."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


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
