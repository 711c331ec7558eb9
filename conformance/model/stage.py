"""The model check's stage: its context from the run's fixtures, started at the session's first check.

An autouse session fixture starts the model stage in the background (``BackgroundModelRun``) as soon as
the session's first check sets up, when the session will run the model check; the model check runs
after the other checks (and before the audits, which judge its exchanges too) and waits for the stage's
result. On an xdist worker, whose share of the checks is not known up front, the model check starts the
stage itself. The session's end stops a stage still running (an interrupt, ``-x``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import hypothesis
import pytest

from conformance.config import RunConfig
from conformance.model.background import BackgroundModelRun
from conformance.model.machine import ModelContext
from conformance.plugin.fixtures import order_or_stop
from conformance.provisioning import OrderUnavailable, Provisioner


def is_model_check(item: pytest.Item) -> bool:
    """Whether ``item`` is the model stage's check (marker ``model``)."""
    return item.get_closest_marker("model") is not None


def _provision(provisioner: Provisioner, config: pytest.Config) -> Callable[[str], str]:
    """``order(state)`` for the machine: a state the configuration cannot make is simply not used."""

    def order(state: str) -> str:
        try:
            return order_or_stop(config, provisioner, state)
        except OrderUnavailable:
            hypothesis.reject()  # the state is left out of this scenario
            raise

    return order


def model_context(request: pytest.FixtureRequest) -> ModelContext:
    """The stage's context from the session's client, provisioner and run config."""
    run_config: RunConfig = request.getfixturevalue("run_config")
    provisioner: Provisioner = request.getfixturevalue("provisioner")
    may_provision = run_config.target.may_change_state and run_config.provisioning.mode != "static"
    return ModelContext(
        request.getfixturevalue("client"),
        provision=_provision(provisioner, request.config) if may_provision else None,
        state_url=run_config.provisioning.state_url if run_config.provisioning.mode == "state-url" else None,
    )


def start_model_stage(request: pytest.FixtureRequest, label: str) -> BackgroundModelRun:
    """Start the model stage for this session, its exchanges labelled ``label``."""
    return BackgroundModelRun(model_context(request), request.getfixturevalue("model_budget"), label).start()


def _model_check_to_run(session: pytest.Session) -> pytest.Item | None:
    if getattr(session.config, "workerinput", None) is not None:
        return None  # an xdist worker: the model check may run on another worker
    for item in session.items:
        if is_model_check(item):
            return None if item.get_closest_marker("skip") is not None else item
    return None


@pytest.fixture(scope="session", autouse=True)
def model_stage(request: pytest.FixtureRequest) -> Iterator[BackgroundModelRun | None]:
    """The model stage started in the background at the first check, or None (the check starts it)."""
    check = _model_check_to_run(request.session)
    if check is None:
        yield None
        return
    stage = start_model_stage(request, check.nodeid)
    try:
        yield stage
    finally:
        stage.stop()
