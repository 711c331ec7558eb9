"""REJ-060: Schemathesis on the generated spec, driven into the endpoint's logic (the fuzz stage).

``test_fuzz`` is one item per fuzzed operation (the reject operation; its siblings with
``--fuzz-siblings``). Each runs the examples, coverage and fuzzing phases with every applicable built-in
check plus REJ-023 and REJ-053, against the run's base URL, signed with the run's supplier token, with
order identifiers mixed from provisioning; ``conformance.fuzz.plugin`` then fails it unless it reached
2xx, 404 and 422. ``test_fuzz_stateful`` follows the spec's links (retailer cancels, supplier rejects).
Needs ``-p conformance.fuzz.plugin`` (options ``--spec``, ``--fuzz-examples``, ``--seed``, ``--fuzz-siblings``).
"""

from __future__ import annotations

import pytest

from conformance.errors import ConformanceError
from conformance.fuzz.auth import install_auth
from conformance.fuzz.plugin import current_options
from conformance.fuzz.session import FuzzSession
from conformance.fuzz.spec import has_links_to_operations_under_test, load_spec, select_operations
from conformance.fuzz.stateful import run_stateful

try:
    _spec = load_spec(current_options())
    schema = install_auth(select_operations(_spec, siblings=current_options().siblings))
    stateful_schema = install_auth(select_operations(_spec, siblings=current_options().siblings, stateful=True))
    LOAD_ERROR: ConformanceError | None = None
except ConformanceError as error:
    schema = stateful_schema = None
    LOAD_ERROR = error


if schema is not None:

    @pytest.mark.fuzz
    @pytest.mark.requirement("REJ-060")
    @schema.parametrize()
    def test_fuzz(case, fuzz_session: FuzzSession) -> None:
        """Every generated case: no 5xx, documented statuses and content types, negative data rejected..."""
        fuzz_session.exercise(case)

    @pytest.mark.fuzz
    @pytest.mark.destructive
    @pytest.mark.requirement("REJ-060")
    def test_fuzz_stateful(fuzz_session: FuzzSession) -> None:
        """Linked scenarios from the spec (cancel order, then reject or confirm) pass every check."""
        if not has_links_to_operations_under_test(stateful_schema):
            pytest.skip("not verified: the spec declares no OpenAPI links to the operations under test")
        if "retailer" not in fuzz_session.credentials:
            pytest.skip("not verified: no `retailer` credential configured")
        if run_stateful(stateful_schema, fuzz_session, seed=current_options().seed) == 0:
            pytest.skip("not verified: no linked scenario reached an operation under test (its cancel order failed)")

else:

    @pytest.mark.fuzz
    @pytest.mark.requirement("REJ-060")
    def test_fuzz() -> None:
        """The spec could not be loaded: stop the run as a usage error (exit 4)."""
        assert LOAD_ERROR is not None
        pytest.exit(LOAD_ERROR.message, returncode=int(LOAD_ERROR.exit_code))
