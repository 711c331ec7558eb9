"""Run configurations for the transport tests: a target's config with extra ``[target]`` keys."""

from __future__ import annotations

from pathlib import Path

from conformance.config_writer import render_config
from tests.targets.server import Target


def write_target_config(folder: Path, target: Target, **target_keys: object) -> Path:
    """Write ``conformance.toml`` for ``target`` into ``folder``, with ``target_keys`` added to ``[target]``."""
    text = render_config(target.base_url, target.credentials, {"mode": "state-url", "state_url": target.state_url})
    extra = "".join(f"{key} = {_toml(value)}\n" for key, value in target_keys.items())
    path = folder / "conformance.toml"
    path.write_text(text.replace("[target]\n", "[target]\n" + extra, 1), encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
