"""REJ-060: Schemathesis on the generated spec, driven into the endpoint's logic (the fuzz stage).

One test item per fuzzed operation (the reject operation; its siblings with ``--fuzz-siblings``). Each
runs the examples, coverage and fuzzing phases with every applicable built-in check plus REJ-023 and
REJ-053, against the run's base URL, signed with the run's supplier token, with order identifiers mixed
from provisioning; ``conformance.fuzz.plugin`` then fails it unless it reached 2xx, 404 and 422.
Needs ``-p conformance.fuzz.plugin`` (options ``--spec``, ``--fuzz-examples``, ``--seed``, ``--fuzz-siblings``).
"""

from __future__ import annotations

import pytest

from conformance.errors import ConformanceError
from conformance.fuzz.auth import install_auth
from conformance.fuzz.plugin import current_options
from conformance.fuzz.session import FuzzSession
from conformance.fuzz.spec import load_schema

try:
    schema = install_auth(load_schema(current_options()))
    LOAD_ERROR: ConformanceError | None = None
except ConformanceError as error:
    schema = None
    LOAD_ERROR = error


if schema is not None:

    @pytest.mark.fuzz
    @pytest.mark.requirement("REJ-060")
    @schema.parametrize()
    def test_fuzz(case, fuzz_session: FuzzSession) -> None:
        """Every generated case: no 5xx, documented statuses and content types, negative data rejected..."""
        fuzz_session.exercise(case)

else:

    @pytest.mark.fuzz
    @pytest.mark.requirement("REJ-060")
    def test_fuzz() -> None:
        """The spec could not be loaded: stop the run as a usage error (exit 4)."""
        assert LOAD_ERROR is not None
        pytest.exit(LOAD_ERROR.message, returncode=int(LOAD_ERROR.exit_code))
