"""The model stage runs in the background while the other checks run, and its traffic stays its own."""

from __future__ import annotations

import json
import re
import threading
from xml.etree import ElementTree

import pytest

from conformance.model.harness import context_for, load_run_config
from conformance.probes import detail_path
from conformance.together import MAX_TOGETHER, release_together
from tests.cli_runs import run_conformance
from tests.targets import serve_target

MODEL_CHECK = "conformance/checks/test_model.py::test_rej_037_model_scenarios"


def test_the_stage_runs_while_the_other_checks_run_and_its_exchanges_carry_its_label(tmp_path):
    run = run_conformance(tmp_path, "--", "--seed", "1", "--model-examples", "6", report_dir=tmp_path / "reports")
    assert run.code == 0, run.output[-3000:]
    reports = tmp_path / "reports"
    ran = [case.get("name") for case in ElementTree.parse(reports / "junit.xml").iter("testcase")]
    ran_before_model = set(ran[: ran.index(MODEL_CHECK.split("::")[1])])
    checks = [json.loads(line)["check"] for line in (reports / "exchanges.jsonl").open()]
    model_positions = [index for index, check in enumerate(checks) if check == MODEL_CHECK]
    before_model = [index for index, check in enumerate(checks) if check.split("::")[-1] in ran_before_model]
    assert model_positions and before_model
    # The log keeps the order exchanges were made in: the stage's first exchanges come before the last
    # ones of the checks that ran before the model check.
    assert model_positions[0] < before_model[-1]
    summary = re.search(r"(\d+) scenarios, \d+ steps, (\d+) requests", run.output)
    assert summary is not None, run.output[-3000:]
    assert int(summary.group(2)) == len(model_positions)  # its count is its own, not the whole session's


def test_full_groups_sent_at_once_from_two_threads_both_complete():
    # Each group needs all its threads at its barrier; two full groups at once must not split the pool.
    with serve_target() as target:
        client = context_for(load_run_config(target.config_toml())).client
        path = detail_path("00000000-0000-4000-8000-000000000000")
        sends = [lambda: client.request("GET", path, role="supplier")] * MAX_TOGETHER
        results: dict[int, list[int]] = {}
        errors: list[BaseException] = []

        def group(index: int) -> None:
            try:
                results[index] = [exchange.status for exchange in release_together(client, sends, lambda: None)]
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=group, args=(index,), daemon=True) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    assert results == {0: [404] * MAX_TOGETHER, 1: [404] * MAX_TOGETHER}


def test_a_group_waits_for_room_in_the_pool_and_gets_it_when_another_group_finishes():
    from conformance.together import _Pool

    pool = _Pool()
    pool.take(MAX_TOGETHER - 2, timeout=1)
    with pytest.raises(RuntimeError, match="no room for 3 simultaneous requests"):
        pool.take(3, timeout=0.05)  # only two threads are free: the group must not start with a part of them
    taken = threading.Event()
    waiter = threading.Thread(target=lambda: (pool.take(3, timeout=10), taken.set()), daemon=True)
    waiter.start()
    pool.give_back(1)
    assert taken.wait(5)
    pool.give_back(MAX_TOGETHER - 3)
    pool.take(MAX_TOGETHER - 3, timeout=1)  # every thread came back
