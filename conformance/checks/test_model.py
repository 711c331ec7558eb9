"""The model stage: generated scenarios judged by the contract's executable model (``conformance/model``).

One check runs the Hypothesis state machine of ``conformance.model.machine`` through the run's client
and provisioner: orders in every provider state, every actor, identifier spelling, body, method, the
unslashed URL, groups of simultaneous requests judged by linearizability, and every order re-read and
settled at the end of each scenario. A failure names the requirement(s) its failing step broke (the
``requirements_broken`` property the plugin folds into the per-requirement verdicts), then the numbered
steps with curl commands, the seed and Hypothesis's reproduce blob. A run that may not change state, or
one whose orders come from static lists, only sends requests about orders that do not exist.

The stage starts in the background at the session's first check (``conformance.model.stage``), so it
runs while the other checks do; this check runs after them and waits for the stage's result.
"""

from __future__ import annotations

import pytest

from conformance.model.background import BackgroundModelRun
from conformance.model.options import remember
from conformance.model.stage import start_model_stage

pytestmark = pytest.mark.model
BROKEN_PROPERTY = "requirements_broken"


@pytest.mark.requirement("REJ-037")
def test_rej_037_model_scenarios(model_stage: BackgroundModelRun | None, request) -> None:
    """Generated scenarios: every answer and every state the model allows, for every cell tried."""
    stage = model_stage or start_model_stage(request, request.node.nodeid)  # not started yet (an xdist worker)
    try:
        run = stage.result()
    except BaseException:
        stage.stop()  # an interrupt while waiting, or the stage's own error: nothing more is sent
        raise
    remember(request.config, run)
    if run.failure is not None:
        request.node.user_properties.append((BROKEN_PROPERTY, ",".join(run.failure.requirements)))
        pytest.fail(run.report(), pytrace=False)
