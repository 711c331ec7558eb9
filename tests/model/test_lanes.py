"""The model stage's lanes: seeds derived from the run's, the first failure stops the others, budgets checked."""

from __future__ import annotations

import multiprocessing

import pytest

from conformance.model.harness import context_for, load_run_config, run_against
from conformance.model.machine import LaneStopped, ModelBudget, ModelContext
from conformance.model.runner import first_failure_stops_the_others, lane_seeds
from conformance.probes import detail_path
from conformance.together import release_together
from tests.cli_runs import run_conformance
from tests.targets import serve_target


def test_each_lane_has_its_own_seed_derived_from_the_runs():
    assert lane_seeds(7, 3) == lane_seeds(7, 3)
    assert lane_seeds(7, 3)[0] == 7
    assert len(set(lane_seeds(7, 4))) == 4
    assert all(0 <= seed < 2**32 for seed in lane_seeds(2**32 - 1, 4))


def test_the_first_lane_to_fail_stops_every_other_lane_and_not_itself():
    contexts = [ModelContext(client=None) for _ in range(3)]  # type: ignore[arg-type]
    first_failure_stops_the_others(contexts)
    contexts[1].failed()
    contexts[2].failed()  # too late: lane 1 failed first and keeps shrinking its own failure
    assert [context.stop.is_set() for context in contexts] == [True, False, True]
    with pytest.raises(LaneStopped):
        contexts[0].check_stop()
    contexts[1].check_stop()


def test_a_failing_lane_is_the_runs_failure():
    # Every retailer request answers 403 instead of 409: some lane meets it within its first scenarios.
    budget = ModelBudget(examples=40, steps=25, seed=3, shrink=False, lanes=2)
    with serve_target(fault="retailer-403") as target:
        run = run_against(target.config_toml(), budget)
    assert run.failure is not None and "REJ-040" in run.failure.requirements, run.failure
    assert run.scenarios < budget.examples, "the lanes ran the whole budget although they had failed"


def test_one_lane_runs_the_same_machine():
    with serve_target(fault="retailer-403") as target:
        run = run_against(target.config_toml(), ModelBudget(examples=10, seed=3, shrink=False, lanes=1))
    assert run.failure is not None and "REJ-040" in run.failure.requirements


def test_a_budget_below_one_is_exit_4_with_one_line(tmp_path):
    for option in ("--model-lanes", "--model-examples", "--model-steps"):
        run = run_conformance(tmp_path, "--", option, "0", report_dir=tmp_path / "reports")
        assert run.code == 4, run.output[-2000:]
        assert f"{option} must be at least 1" in run.output and "Traceback" not in run.output


def _group_statuses(config_toml: str) -> list[int]:
    client = context_for(load_run_config(config_toml)).client
    path = detail_path("00000000-0000-4000-8000-000000000000")
    sends = [lambda: client.request("GET", path, role="supplier")] * 3
    return [exchange.status for exchange in release_together(client, sends, lambda: None)]


def test_simultaneous_requests_work_in_a_process_forked_after_the_parent_sent_some():
    # The pool's threads do not survive a fork: a child that reused the parent's pool would wait forever.
    context = multiprocessing.get_context("fork")
    with serve_target() as target:
        config_toml = target.config_toml()
        assert _group_statuses(config_toml) == [404, 404, 404]
        with context.Pool(1) as pool:
            assert pool.apply_async(_group_statuses, (config_toml,)).get(timeout=60) == [404, 404, 404]
