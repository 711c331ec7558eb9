"""The faults only a model finds: the hand-written checks alone miss each, the model stage catches each.

For every fault of ``MODEL_FAULTS``: a run of the hand-written checks alone (``-m "not model and not
fuzz"``) through the CLI is conformant, and the model stage, in-process with the default budget, fails
the fault's requirement for at least two of three fixed seeds. The 20-seed figure is measured by
``benchmarks/bench_model.py``; two runs through the CLI show the attribution reaching results.json and
the certificate.
"""

from __future__ import annotations

import json

import pytest

from conformance.model.harness import run_against
from conformance.model.machine import ModelBudget
from conformance.model.options import DEFAULT_EXAMPLES, DEFAULT_STEPS
from tests.cli_runs import run_suite
from tests.targets import serve_target
from tests.targets.faults import MODEL_FAULTS

pytestmark = pytest.mark.selftest
SEEDS = (0, 1, 2)
REQUIRED = 2
#: Races show only when the requests really overlap, which a loaded machine makes rarer: one seed of three.
RACES = {"spelling-keyed-lock-race": 1, "json-body-skips-lock-race": 1}
HAND_WRITTEN_ONLY = ("-m", "not model and not fuzz")


def test_the_bank_holds_at_least_fifteen_model_faults_across_the_dimensions():
    assert len(MODEL_FAULTS) >= 15
    assert len({fault.requirement for fault in MODEL_FAULTS.values()}) >= 10


@pytest.mark.parametrize("fault", sorted(MODEL_FAULTS))
def test_the_hand_written_checks_alone_miss_it(fault, tmp_path):
    with serve_target(style=MODEL_FAULTS[fault].style, fault=fault) as target:
        run = run_suite(target.config_toml(), tmp_path, HAND_WRITTEN_ONLY)
    assert run.code == 0 and not run.failed_requirements(), "\n".join(run.failing_tests[:5])


@pytest.mark.parametrize("fault", sorted(MODEL_FAULTS))
def test_the_model_stage_catches_it_within_the_default_budget(fault):
    spec = MODEL_FAULTS[fault]
    budget = dict(examples=DEFAULT_EXAMPLES, steps=DEFAULT_STEPS, shrink=False)
    with serve_target(style=spec.style, fault=fault) as target:
        runs = [run_against(target.config_toml(), ModelBudget(seed=seed, **budget)) for seed in SEEDS]
    missed = [run.seed for run in runs if run.failure is None or spec.requirement not in run.failure.requirements]
    assert len(SEEDS) - len(missed) >= RACES.get(fault, REQUIRED), (
        f"{fault} ({spec.requirement}) missed with seeds {missed}: "
        + "; ".join(str(run.failure) for run in runs if run.failure)
    )


@pytest.mark.parametrize(("fault", "requirement"), [("no-permission-after-state", "REJ-041"),
                                                    ("text-body-confirms", "REJ-052")])  # fmt: skip
def test_a_run_fails_the_requirement_the_failing_step_broke(fault, requirement, tmp_path):
    with serve_target(fault=fault) as target:
        run = run_suite(target.config_toml(), tmp_path, ("-m", "model", "--seed", "0"))
        assert run.leaked(target.credentials) == []
    assert run.code == 1 and requirement in run.failed_requirements(), run.output[-2000:]
    assert "REJ-037" not in run.failed_requirements()  # the check's own marker is not blamed
    certificate = json.loads((run.report_dir / "certificate.json").read_text(encoding="utf-8"))
    assert requirement in certificate["failed"] and len(certificate["covers"]["model"]["sha256"]) == 64
    junit = (run.report_dir / "junit.xml").read_text(encoding="utf-8")
    assert f'name="requirements_broken" value="{requirement}' in junit
    assert "\n1. " in run.output and "provider state" in run.output and "curl " in run.output
    assert "--seed 0" in run.output and "reproduce blob" in run.output
