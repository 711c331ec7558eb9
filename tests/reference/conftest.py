"""Fixtures for the reference's own tests: a live server over HTTP and Django's test client."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests

from conformance.reference import ReferenceServer, start_reference

HTTP_TIMEOUT = 10


@pytest.fixture(scope="session")
def reference() -> Iterator[ReferenceServer]:
    """One reference server with provider states, on a free loopback port, for the whole session."""
    with start_reference(provider_states=True) as server:
        yield server


@pytest.fixture
def order_in(reference: ReferenceServer) -> Callable[[str], str]:
    """Set up a fresh order in a named provider state over HTTP; return its UUID."""

    def make(state: str) -> str:
        response = requests.post(
            reference.state_url, json={"action": "setup", "state": state, "params": {}}, timeout=HTTP_TIMEOUT
        )
        assert response.status_code == 201, response.text
        return response.json()["order_uuid"]

    return make


@pytest.fixture
def auth(reference: ReferenceServer) -> Callable[[str], dict[str, str]]:
    """``auth("supplier")`` → the Authorization header of that seeded role."""

    def header(role: str) -> dict[str, str]:
        return {"Authorization": f"Token {reference.credentials[role]}"}

    return header


@pytest.fixture(scope="session")
def django_ready(reference: ReferenceServer) -> ReferenceServer:
    """Django configured and seeded in this process (the live server did it); for the test client."""
    return reference
