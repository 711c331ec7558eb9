"""Fixtures of the fuzz stage's tests: the bundled reference on a free port, with provider states."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.config import RunConfig, parse_config
from conformance.reference import start_reference


@pytest.fixture(scope="session")
def reference() -> Iterator[object]:
    """The reference implementation with its provider-states endpoint."""
    with start_reference(provider_states=True) as server:
        yield server


@pytest.fixture(scope="session")
def reference_config(reference) -> RunConfig:
    """The RunConfig for the reference (its test credentials, state-url provisioning)."""
    return parse_config(reference.config_toml(), "reference")
