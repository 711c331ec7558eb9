"""The ``item._id`` workaround's gate matches what the installed pytest really does.

A Schemathesis test over a spec with two operations is collected without the workaround: on the pytest
versions ``needs_own_node_ids`` names, the two items share one node id; on the others they do not. When
pytest changes the behaviour, this test fails and the gate (``conformance/fuzz/node_ids.py``) must follow.
"""

from __future__ import annotations

import pytest

from conformance.fuzz.node_ids import needs_own_node_ids

SPEC = """
openapi: 3.0.3
info: {title: two operations, version: "1"}
paths:
  /a/:
    get: {responses: {"200": {description: ok}}}
  /b/:
    get: {responses: {"200": {description: ok}}}
"""


def test_the_gate_matches_pytests_node_ids(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", spec=SPEC)
    pytester.makepyfile(
        test_two="""
import pathlib
import schemathesis

schema = schemathesis.openapi.from_path(pathlib.Path(__file__).with_name("spec.yaml"))

@schema.parametrize()
def test_api(case):
    pass
"""
    )
    result = pytester.runpytest_inprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    node_ids = [line for line in result.outlines if "::test_api" in line]
    assert len(node_ids) == 2, result.outlines
    folded = len(set(node_ids)) == 1
    assert folded is needs_own_node_ids(), (
        f"pytest {pytest.__version__} {'folds' if folded else 'no longer folds'} the operations' node ids: "
        "update FOLDING_VERSIONS in conformance/fuzz/node_ids.py"
    )
