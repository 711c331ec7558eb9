"""Fixtures for hostile-target tests: the reference behind a relay, and run configs pointing at the relay."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conformance.config_writer import render_config
from conformance.reference import ReferenceServer, start_reference


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferenceServer]:
    """The bundled reference with provider states, on a free loopback port."""
    with start_reference(provider_states=True) as server:
        yield server


@pytest.fixture
def relay_config(tmp_path: Path, reference: ReferenceServer) -> Callable[..., Path]:
    """``relay_config(base_url, read=…)``: a config naming ``base_url`` as the target (orders still come
    straight from the reference's provider states), with the given timeouts."""

    def write(base_url: str, *, connect: float = 3.0, read: float = 10.0) -> Path:
        text = render_config(base_url, reference.credentials, {"mode": "state-url", "state_url": reference.state_url})
        path = tmp_path / "relay.toml"
        path.write_text(text + f"\n[timeouts]\nconnect = {connect}\nread = {read}\n", encoding="utf-8")
        return path

    return write
