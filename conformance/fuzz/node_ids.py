"""One node id per fuzzed operation (``test_fuzz[PATCH /timp/...]``), on the pytest versions that fold them.

pytest 9.2 builds a Function's node id from the original name, so every operation Schemathesis generates
from one test would share ``test_fuzz`` and the reports would fold them into one line. On those versions
(``NEEDS_OWN_NODE_IDS``) the id is rebuilt from pytest's private ``_id``; on any other version nothing
is touched. ``tests/fuzz/test_node_ids.py`` fails when pytest's behaviour no longer matches this gate.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from packaging.version import Version

#: pytest versions whose Function ids fold a generated item's parameters away (checked by the test above).
FOLDING_VERSIONS = (Version("9.2"),)


def needs_own_node_ids(version: str = pytest.__version__) -> bool:
    """True on the pytest versions that fold the operations of one Schemathesis test into one node id."""
    release = Version(version).release[:2]
    return any(release == folding.release[:2] for folding in FOLDING_VERSIONS)


def give_each_operation_its_node_id(items: Iterable[pytest.Item]) -> None:
    """Rebuild each fuzz item's node id with its operation label, on the versions that need it."""
    if not needs_own_node_ids():
        return
    for item in items:
        label = getattr(item, "operation_label", None)
        node_id = getattr(item, "_id", None)
        if label and getattr(node_id, "params", "") is None and hasattr(node_id, "with_params"):
            item._id = node_id.with_params(label)  # type: ignore[attr-defined]
