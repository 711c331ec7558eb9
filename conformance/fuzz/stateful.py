"""The stateful phase: Schemathesis follows the spec's links from cancel order (retailer) to reject (supplier).

The state machine comes from the spec (``schema.as_state_machine()``); this module only points its calls at
the run's target, counts the statuses, and adds the reproducing curl command to a failure.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import schemathesis
from schemathesis import Case, Response
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import BaseSchema

from conformance.curl import reproduce_note
from conformance.fuzz.auth import role_for
from conformance.fuzz.session import FuzzSession, cut_body_exclusions, slim_cut_body

POSITIVE_DATA_ACCEPTANCE = schemathesis.checks.positive_data_acceptance
#: Scenarios per run: each is a short chain of linked calls (``max-steps`` in the settings).
DEFAULT_SCENARIOS = 40


STATEFUL_PREFIX = "stateful "


def stateful_label(operation_label: str) -> str:
    """The status-mix label of an operation called by the stateful phase."""
    return STATEFUL_PREFIX + operation_label


def run_stateful(
    schema: BaseSchema, session: FuzzSession, scenarios: int = DEFAULT_SCENARIOS, seed: int | None = None
) -> int:
    """Run the spec's state machine against the session's target; FailureGroup on any failed check.

    Every identifier drawn here is a fresh order: which links a scenario can follow depends on the
    server's answers, and Hypothesis requires the same draws to lead to the same rules.
    Returns how many calls reached an operation under test (not a retailer's link source).
    """
    with session.fresh_identifiers():
        return _run(schema, session, scenarios, seed)


def _run(schema: BaseSchema, session: FuzzSession, scenarios: int, seed: int | None) -> int:
    base = schema.as_state_machine()
    reached = [0]

    class TargetStateMachine(base):  # type: ignore[misc, valid-type]
        """The spec's state machine, sending to the run's base URL with the run's timeouts."""

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return session.transport_kwargs()

        def after_call(self, response: Response, case: Case) -> None:
            super().after_call(response, case)
            session.observed.record(stateful_label(case.operation.label), response.status_code)
            if role_for(case.operation.path) != "retailer":
                reached[0] += 1

        def validate_response(
            self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            __tracebackhide__ = True
            # The retailer's cancel order is a setup step, not under test: refusing an order that is
            # already cancelled or confirmed is no conformance failure (server errors still count).
            excluded = [POSITIVE_DATA_ACCEPTANCE] if role_for(case.operation.path) == "retailer" else []
            excluded += cut_body_exclusions(response)  # a body cut short is not validated against its schema
            try:
                case.validate_response(
                    response,
                    additional_checks=additional_checks,
                    excluded_checks=excluded,
                    transport_kwargs=kwargs or None,
                    recorder=getattr(self, "recorder", None),
                )
            except FailureGroup as failure:
                failure.add_note(reproduce_note(response.request, session.credentials))
                raise
            finally:
                slim_cut_body(response)  # the scenario keeps every response: keep memory bounded

    if seed is not None:
        hypothesis.seed(seed)(TargetStateMachine)
    settings = schema.config.get_hypothesis_settings(phase="stateful")
    TargetStateMachine.run(
        settings=hypothesis.settings(
            settings,
            max_examples=scenarios,
            stateful_step_count=schema.config.phases.stateful.max_steps,
            deadline=None,
            # No replay or shrinking: the server's state moved on, so a replayed scenario takes other
            # links and Hypothesis would report its own inconsistency instead of the failure found.
            phases=(hypothesis.Phase.generate,),
        )
    )
    return reached[0]
