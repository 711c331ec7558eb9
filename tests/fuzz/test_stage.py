"""The fuzz stage end to end, in a subprocess: the reference passes with the required status mix, a run that
only sees 404 fails, faulty targets fail with a reproducible curl command, and no secret is ever printed."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.cli_runs import run_stage
from tests.targets import serve_target

REQUIRED = ("2xx", "404", "422")


def status_classes(mix: dict[int, int]) -> set[str]:
    return {"2xx" if 200 <= status < 300 else str(status) for status in mix}


def test_reference_passes_reaching_2xx_404_and_422_reproducibly(reference, tmp_path):
    first = run_stage(reference.config_toml(), tmp_path, "--seed", "5", "--fuzz-examples", "20")
    assert first.code == 0, first.output[-3000:]
    mix = first.status_mix()
    assert set(REQUIRED) <= status_classes(mix), mix
    assert not any(status >= 500 for status in mix)
    assert "stateful PATCH /timp/orders/cancel/{order_uuid}/reject/" in first.output
    assert "seed 5" in first.output
    again = run_stage(reference.config_toml(), tmp_path, "--seed", "5", "--fuzz-examples", "20")
    assert again.status_mix() == mix


def test_a_budget_too_small_to_draw_every_state_still_passes_the_reference(reference, tmp_path):
    # One example: generation never draws a settled order with a well-formed request (every seed tried
    # answered 200x1, 401x1, 404x7 and failed REJ-060); the plain cases added for the missing class reach it.
    run = run_stage(reference.config_toml(), tmp_path, "--seed", "0", "--fuzz-examples", "1", "-k", "not stateful")
    assert run.code == 0, run.output[-3000:]
    assert set(REQUIRED) <= status_classes(run.status_mix()), run.status_mix()


def test_a_run_that_only_sees_404_fails(reference, reference_config, tmp_path):
    # "Pending" orders that do not exist, and nothing else: every answer is 404 (the settled states would
    # fail their own check first, so they are left out and those draws fall back to generated UUIDs).
    unknown = {"pending": [str(uuid.uuid4()) for _ in range(40)]}
    secrets = reference_config.credentials.secrets
    credentials = "\n".join(f"{role} = {json.dumps(secret)}" for role, secret in secrets.items())
    static = "\n".join(f"{key} = {json.dumps(values)}" for key, values in unknown.items())
    config = (
        f'[target]\nbase_url = "{reference.base_url}"\n\n[credentials]\n{credentials}\n\n'
        f'[provisioning]\nmode = "static"\n\n[provisioning.static]\n{static}\n'
    )
    run = run_stage(config, tmp_path, "--seed", "3", "-k", "not stateful")
    assert run.code == 1, run.output[-3000:]
    reject = "PATCH /timp/orders/cancel/{order_uuid}/reject/"
    assert f"REJ-060: the fuzz stage never reached 2xx, 422 on {reject}" in run.output
    assert run.leaked(dict(reference_config.credentials.secrets)) == []


@pytest.mark.parametrize(
    ("fault", "evidence"),
    [
        ("traceback-in-error", "REJ-023: the 400 response exposes a stack trace"),
        ("error-without-content-type", "REJ-053: the 422 response has a"),
        ("success-202", "Undocumented status code"),
        ("unknown-uuid-422", "REJ-020: "),  # a generated UUID names no order: 404, not 422
        ("uppercase-500", "ST101 Server error"),  # the uppercase form of a pending order's UUID (REJ-022)
        ("repeat-reject-2xx", "REJ-010: "),  # a rejected cancellation rejected again answers 200
        ("other-org-accepted", "REJ-042: "),  # another organization's order is rejected
    ],
)
def test_faulty_targets_fail_with_a_reproducible_command(fault, evidence, tmp_path):
    with serve_target("json", fault) as target:
        run = run_stage(target.config_toml(), tmp_path, "--seed", "2", "-k", "not stateful")
    assert run.code == 1, run.output[-3000:]
    assert evidence in run.output
    assert "REJ-060: ST" in run.output  # the failure's first line names the failure codes
    assert "Reproduce with:" in run.output
    assert '"Authorization: Token ${CRUX_SUPPLIER_TOKEN}"' in run.output
    assert "[Filtered]" not in run.output  # Schemathesis' own command, which cannot run as printed, is dropped
    assert run.leaked(target.credentials) == []


def test_not_fuzz_leaves_the_stage_out(reference, tmp_path):
    run = run_stage(reference.config_toml(), tmp_path, "-m", "not fuzz")
    assert run.code == 5, run.output[-2000:]  # every item of the module deselected: nothing ran
    assert "deselected" in run.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--spec", "absent.yaml"), "--spec: no such file: absent.yaml"),
        (("--fuzz-examples", "0"), "--fuzz-examples must be between 1 and"),
    ],
)
def test_bad_options_exit_4_with_one_line(reference, tmp_path, arguments, message):
    run = run_stage(reference.config_toml(), Path(tmp_path), *arguments)
    assert run.code == 4
    assert message in run.output
    assert "Traceback" not in run.output


def test_without_state_changes_no_orders_are_provisioned_and_404_suffices(reference, tmp_path):
    config = reference.config_toml().replace("destructive = true", "destructive = false")
    assert "destructive = false" in config
    run = run_stage(config, tmp_path, "--seed", "4")
    assert run.code == 0, run.output[-3000:]
    assert "0 pending orders provisioned" in run.output
    assert set(run.status_mix()) <= {401, 404}, run.status_mix()
    assert "not run: destructive check skipped" in run.output  # the stateful phase changes state
