"""The model stage: generated scenarios judged by the contract's executable model (``conformance/model``).

One check runs the Hypothesis state machine of ``conformance.model.machine`` through the run's client
and provisioner: orders in every provider state, every actor, identifier spelling, body, method, the
unslashed URL, groups of simultaneous requests judged by linearizability, and every order re-read and
settled at the end of each scenario. A failure names the requirement(s) its failing step broke (the
``requirements_broken`` property the plugin folds into the per-requirement verdicts), then the numbered
steps with curl commands, the seed and Hypothesis's reproduce blob. A run that may not change state, or
one whose orders come from static lists, only sends requests about orders that do not exist.
"""

from __future__ import annotations

import hypothesis
import pytest

from conformance.errors import TargetError
from conformance.model.machine import ModelBudget, ModelContext
from conformance.model.options import remember
from conformance.model.runner import run_model
from conformance.provisioning import OrdersExhausted, OrderUnavailable, Provisioner

pytestmark = pytest.mark.model
BROKEN_PROPERTY = "requirements_broken"


def _provision(provisioner: Provisioner, fresh_order):
    """``order(state)`` for the machine: a state the configuration cannot make is simply not used."""

    def order(state: str) -> str:
        try:
            return provisioner.order(state)
        except OrderUnavailable:
            hypothesis.reject()  # the state is left out of this scenario
            raise
        except (OrdersExhausted, TargetError):
            return fresh_order(state)  # fails again, and fresh_order stops the run with exit 2 and one line

    return order


@pytest.mark.requirement("REJ-037")
def test_rej_037_model_scenarios(
    client, provisioner, run_config, fresh_order, model_budget: ModelBudget, request
) -> None:
    """Generated scenarios: every answer and every state the model allows, for every cell tried."""
    may_provision = run_config.target.may_change_state and run_config.provisioning.mode != "static"
    context = ModelContext(
        client,
        provision=_provision(provisioner, fresh_order) if may_provision else None,
        state_url=run_config.provisioning.state_url if run_config.provisioning.mode == "state-url" else None,
    )
    run = run_model(context, model_budget)
    remember(request.config, run)
    if run.failure is not None:
        request.node.user_properties.append((BROKEN_PROPERTY, ",".join(run.failure.requirements)))
        pytest.fail(run.report(), pytrace=False)
