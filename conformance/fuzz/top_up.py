"""Well-formed cases the fuzz stage adds when generation missed a status class REJ-060 requires.

Generation is random: a run can end without ever having drawn, say, a rejected order together with the
supplier's token and a well-formed request, and the status-mix rule (``observations``) would then fail a
conformant target for the generator's luck. Before judging the mix, each missing class the contract ties
to a provider state (2xx: a pending cancellation; 422: an order the action cannot apply to) gets one plain
case per such state, the supplier's token and no body, sent and judged like every generated case, until
the class is reached. A target that still does not reach it fails, now for what it answers.
"""

from __future__ import annotations

import uuid

from schemathesis import BaseSchema

from conformance.fuzz.auth import AUTH_HEADER, authorization_value
from conformance.fuzz.session import FuzzSession
from conformance.provisioning.states import CONFIRMED, PENDING, REJECTED, WITHOUT_CANCELLATION

#: A UUID that names no order (no provisioning needed).
UNKNOWN = "an unknown order"
#: The provider states whose order a conformant target answers with each class, in the order tried.
STATES_FOR_CLASS: dict[str, tuple[str, ...]] = {
    "2xx": (PENDING,),
    "404": (UNKNOWN,),
    "422": (REJECTED, WITHOUT_CANCELLATION, CONFIRMED),
}


def top_up(session: FuzzSession, schema: BaseSchema, label: str, required: tuple[str, ...]) -> list[str]:
    """Send plain cases for every class of ``required`` that ``label`` has not answered; return those added."""
    operation = schema.find_operation_by_label(label)
    token = session.credentials.get("supplier")
    if operation is None or token is None or session.pool is None:
        return []
    names = [parameter.name for parameter in operation.path_parameters]
    if len(names) != 1:
        return []
    added = []
    for wanted in session.observed.missing(label, required):
        for state in STATES_FOR_CLASS.get(wanted, ()):
            order = str(uuid.uuid4()) if state == UNKNOWN else session.pool.fresh(state)
            if order is None:
                continue
            added.append(f"{wanted} via {state!r}")
            session.exercise(operation.Case(path_parameters={names[0]: order},
                                            headers={AUTH_HEADER: authorization_value(token)}))  # fmt: skip
            if wanted not in session.observed.missing(label, required):
                break
    return added
