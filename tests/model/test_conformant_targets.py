"""The conformant servers lie inside the model everywhere: every cell walked over HTTP, and model-stage runs.

The two conformant test-target styles (``tests/targets/styles.py``) and the bundled reference make
different choices where the contract leaves them open; every answer each gives, for every actor, kind of
order and request class of ``conformance.model.table``, must be one the model allows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from conformance.model import driver
from conformance.model.actors import ACTORS
from conformance.model.expect import expect
from conformance.model.harness import context_for, load_run_config
from conformance.model.machine import ModelBudget
from conformance.model.runner import run_model
from conformance.model.states import PROVIDER_STATES
from conformance.model.table import ORDERS, REQUEST_CLASSES
from conformance.reference import start_reference
from tests.targets import STYLES, serve_target

TARGETS = [*sorted(STYLES), "reference"]


@pytest.fixture(params=TARGETS, scope="module")
def config_toml(request) -> Iterator[str]:
    if request.param == "reference":
        with start_reference(provider_states=True) as reference:
            yield reference.config_toml()
    else:
        with serve_target(style=request.param) as target:
            yield target.config_toml()


def _provider_state_of(order) -> str:
    return next(name for name, made in PROVIDER_STATES.items() if made == order)


def walk(config_toml: str) -> list[str]:
    """Send every cell of the table once (a fresh order per kind and actor); name the answers outside it."""
    context = context_for(load_run_config(config_toml))
    outside = []
    for order_name, order in ORDERS:
        for actor in ACTORS:
            if not driver.available(context.client, actor):
                continue
            uuid_text = context.provision(_provider_state_of(order)) if order.exists else str(uuid.uuid4())
            state = order.state
            for request_name, request in REQUEST_CLASSES:
                exchange = driver.send(context.client, actor, request, uuid_text)
                after = expect(order.moved_to(state), actor, request).next_states(exchange.status)
                if not after:
                    outside.append(f"{actor.name} / {order_name} ({state}) / {request_name}: {exchange.status}")
                    continue
                state = sorted(after)[0]
    return outside


def test_every_cell_answers_inside_the_model(config_toml):
    assert walk(config_toml) == []


def test_the_walk_names_a_server_outside_the_model():
    with serve_target(fault="retailer-after-state") as target:
        outside = walk(target.config_toml())
    assert outside and all(line.startswith("retailer / ") and line.endswith(": 422") for line in outside)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_model_stage_run_passes(config_toml, seed):
    run = run_model(context_for(load_run_config(config_toml)), ModelBudget(seed=seed))
    assert run.failure is None, run.report()
    assert run.scenarios >= 1 and run.requests > 0
