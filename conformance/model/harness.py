"""Run the model stage in-process against a target described by a ``conformance.toml`` text.

The fault bank's tests and ``benchmarks/bench_model.py`` use it: no pytest session, the same client,
provisioner and machine as the ``model`` check.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conformance.client import Client
from conformance.config import RunConfig, load_config
from conformance.model.machine import ModelBudget, ModelContext, ModelRun
from conformance.model.runner import run_model
from conformance.provisioning import make_provisioner
from conformance.recorder import Recorder


def context_for(run_config: RunConfig, recorder: Recorder | None = None) -> ModelContext:
    """The stage's context for a run config (provisioning only when the run may change state)."""
    client = Client.from_config(run_config, recorder if recorder is not None else Recorder())  # empty is falsy
    provision = None
    state_url = None
    if run_config.target.may_change_state and run_config.provisioning.mode != "static":
        provision = make_provisioner(run_config).order
        state_url = run_config.provisioning.state_url if run_config.provisioning.mode == "state-url" else None
    return ModelContext(client, provision, state_url=state_url)


def load_run_config(config_toml: str) -> RunConfig:
    """A RunConfig from a config file's text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conformance.toml"
        path.write_text(config_toml, encoding="utf-8")
        return load_config(path, {})


def run_against(config_toml: str, budget: ModelBudget) -> ModelRun:
    """Run the model stage once against the target ``config_toml`` describes."""
    return run_model(context_for(load_run_config(config_toml)), budget)
