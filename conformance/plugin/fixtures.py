"""The session fixtures the checks use: ``run_config``, ``recorder``, ``ledger``, ``provisioner``, ``client``,
``fresh_order`` and ``need_role``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.client import Client
from conformance.config import RunConfig
from conformance.errors import ConformanceError, TargetError
from conformance.plugin.limits import stop_run
from conformance.plugin.options import run_config_from_pytest
from conformance.plugin.session import Ledger, run_session
from conformance.plugin.xdist import worker_share
from conformance.probes import preflight
from conformance.provisioning import (
    NoProvisioning,
    OrdersExhausted,
    OrderUnavailable,
    Provisioner,
    preflight_provisioner,
    provisioner_for_run,
)
from conformance.recorder import Recorder


def missing_credential_reason(role: str) -> str:
    """The exact skip reason of a check whose credential is absent."""
    return f"not verified: no `{role}` credential configured"


@pytest.fixture(scope="session")
def run_config(request: pytest.FixtureRequest) -> RunConfig:
    """The run configuration (target, credentials, provisioning, timeouts)."""
    return run_config_from_pytest(request.config)


@pytest.fixture(scope="session")
def recorder(request: pytest.FixtureRequest) -> Recorder:
    """Every exchange the checks made in this session (redacted)."""
    return run_session(request.config).recorder


@pytest.fixture(scope="session")
def ledger(request: pytest.FixtureRequest) -> Ledger:
    """State probes after refused attempts (REJ-037)."""
    return run_session(request.config).ledger


@pytest.fixture(scope="session")
def provisioner(request: pytest.FixtureRequest, run_config: RunConfig) -> Provisioner:
    """The provisioner the config's mode names (under xdist, each worker gets its share of static orders).

    A run that may not change state (read-only, or production without ``--allow-production``) gets one
    that provisions nothing.
    """
    try:
        made = provisioner_for_run(run_config, worker_share(request.config))
    except ConformanceError as error:
        pytest.exit(error.message, returncode=int(error.exit_code))
    if not isinstance(made, NoProvisioning):
        run_session(request.config).provisioners.append(made)
    return made


@pytest.fixture(scope="session")
def client(
    request: pytest.FixtureRequest, run_config: RunConfig, recorder: Recorder, provisioner: Provisioner
) -> Client:
    """The HTTP client of the run; the first use runs the preflight (unless ``run`` already did)."""
    the_client = Client.from_config(run_config, recorder)
    session = run_session(request.config)
    session.clients.append(the_client)
    if not session.preflight_done:
        try:
            preflight(the_client, preflight_provisioner(run_config, provisioner))
        except ConformanceError as error:
            pytest.exit(error.message, returncode=int(error.exit_code))
        session.preflight_done = True
    return the_client


@pytest.fixture
def fresh_order(request: pytest.FixtureRequest, provisioner: Provisioner, client: Client) -> Callable[[str], str]:
    """``fresh_order(state) -> uuid``: a new order per call.

    An order the configuration cannot make skips the check (not verified); a static list that ran out or
    a provisioning failure stops the run (exit 2) with one line naming the state.
    """

    def make(state: str) -> str:
        try:
            return order_or_stop(request.config, provisioner, state)
        except OrderUnavailable as unavailable:
            pytest.skip(str(unavailable))

    return make


def order_or_stop(config: pytest.Config, provisioner: Provisioner, state: str) -> str:
    """``provisioner.order(state)``; a static list that ran out or a provisioning failure stops the run
    (exit 2) with one line naming the state. ``OrderUnavailable`` is left to the caller."""
    try:
        return provisioner.order(state)
    except OrdersExhausted as exhausted:
        stop_run(config, str(exhausted))
        raise
    except TargetError as error:
        stop_run(config, error.message, int(error.exit_code))
        raise


@pytest.fixture
def need_role(client: Client) -> Callable[[str], None]:
    """``need_role(role)``: skip the check as not verified when ``role`` has no credential."""

    def need(role: str) -> None:
        if not client.has(role):
            pytest.skip(missing_credential_reason(role))

    return need
