"""The harness itself: target lifecycle, the matrix rendering, and the suite runner's reading of results."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.cli_runs import RunOutcome
from tests.selftest import matrix
from tests.targets import FAULTS, serve_target


def test_serve_target_refuses_unknown_names():
    with pytest.raises(ValueError, match="unknown style"), serve_target(style="xml"):
        pass
    with pytest.raises(ValueError, match="unknown fault"), serve_target(fault="no-such-fault"):
        pass


def test_a_target_starts_and_stops_quickly_and_frees_its_port():
    started = time.monotonic()
    with serve_target() as target:
        assert requests.get(target.base_url + "/nowhere", timeout=5).status_code == 404
        port = int(target.base_url.rsplit(":", 1)[1])
    assert time.monotonic() - started < 3
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_two_targets_run_side_by_side_with_their_own_secrets():
    with serve_target() as first, serve_target(style="strict") as second:
        assert first.base_url != second.base_url
        assert set(first.credentials.values()).isdisjoint(second.credentials.values())
        token = {"Authorization": f"Token {first.credentials['supplier']}"}
        response = requests.patch(second.base_url + "/timp/orders/cancel/x/reject/", headers=token, timeout=5)
        assert response.status_code == 401


def _row(fault: str, exit_code: int, failed: list[str]) -> matrix.Row:
    spec = FAULTS[fault]
    return matrix.Row(fault, spec.requirement, list(spec.also), exit_code, failed, 1.0, time.time())


def test_the_matrix_marks_undetected_faults_and_extra_ids():
    rows = [
        _row("retailer-403", 1, ["REJ-040"]),
        _row("slashless-410", 0, []),
        _row("json-body-415", 1, ["REJ-052", "REJ-011"]),
    ]
    text = matrix.render(rows)
    assert "2/3 faults detected (67%)" in text
    assert "| `slashless-410` | json | REJ-054 | - | 0 | - | **NO** |" in text
    assert (
        "| REJ-011 |" in text
        and "| `json-body-415` | json | REJ-052 | - | 1 | REJ-011, REJ-052 | yes | REJ-011 |" in text
    )


def test_a_fault_is_only_detected_by_exit_1_with_its_own_requirement():
    assert _row("retailer-403", 1, ["REJ-040"]).detected
    assert not _row("retailer-403", 1, ["REJ-041"]).detected
    assert not _row("retailer-403", 2, ["REJ-040"]).detected


def test_failed_requirements_count_failures_and_errors_only(tmp_path):
    tests = [
        {"nodeid": "a", "requirement": "REJ-001", "outcome": "failed", "message": "m"},
        {"nodeid": "b", "requirement": "REJ-002", "outcome": "error", "message": "m"},
        {"nodeid": "c", "requirement": "REJ-003", "outcome": "skipped", "message": "m"},
        {"nodeid": "d", "requirement": "REJ-010", "outcome": "passed", "message": ""},
    ]
    (tmp_path / "r.json").write_text(json.dumps({"secret": "s3cr3t"}))
    (tmp_path / "results.json").write_text(json.dumps({"tests": tests}))
    run = RunOutcome(1, "output", "", tmp_path, 1.0)
    assert run.failed_requirements() == {"REJ-001", "REJ-002"}
    assert run.leaked({"supplier": "s3cr3t", "retailer": "absent"}) == ["supplier"]
