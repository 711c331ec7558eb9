"""REJ-060: Schemathesis on the generated spec, driven into the endpoint's logic (the fuzz stage).

``test_fuzz`` is one item per fuzzed operation (the reject operation; its siblings with
``--fuzz-siblings``): ``conformance.fuzz.plugin`` binds it to the session's schema at collection. Each
runs the examples, coverage and fuzzing phases with every applicable built-in check plus the contract's
own, against the run's base URL, signed with the run's supplier token, with order identifiers mixed from
provisioning; the plugin then fails it unless it reached 2xx, 404 and 422. ``test_fuzz_stateful``
follows the spec's links (retailer cancels, supplier rejects).
"""

from __future__ import annotations

import pytest

from conformance.fuzz.plugin import fuzz_declaration
from conformance.fuzz.session import FuzzSession
from conformance.fuzz.spec import has_links_to_operations_under_test
from conformance.fuzz.stateful import run_stateful


@pytest.mark.fuzz
@pytest.mark.requirement("REJ-060")
@fuzz_declaration
def test_fuzz(case, fuzz_session: FuzzSession) -> None:
    """Every generated case: no 5xx, documented statuses and content types, negative data rejected..."""
    fuzz_session.exercise(case)


@pytest.mark.fuzz
@pytest.mark.destructive
@pytest.mark.requirement("REJ-060")
def test_fuzz_stateful(fuzz_session: FuzzSession, fuzz_schema, fuzz_stage_options) -> None:
    """Linked scenarios from the spec (cancel order, then reject or confirm) pass every check."""
    stateful_schema = fuzz_schema(stateful=True)
    if not has_links_to_operations_under_test(stateful_schema):
        pytest.skip("not verified: the spec declares no OpenAPI links to the operations under test")
    if "retailer" not in fuzz_session.credentials:
        pytest.skip("not verified: no `retailer` credential configured")
    if run_stateful(stateful_schema, fuzz_session, seed=fuzz_stage_options.seed) == 0:
        pytest.skip("not verified: no linked scenario reached an operation under test (its cancel order failed)")
