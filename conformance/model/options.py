"""The model stage's pytest plugin: its options, the ``model`` marker, its budget and its summary line.

Loaded through ``conformance.plugin``'s ``pytest_plugins``. Options: ``--model-examples N`` (scenarios),
``--model-steps N`` (steps per scenario), ``--model-lanes N`` (scenarios sent at the same time, from
their own threads), ``--race-rounds N`` (rounds of the hand-written REJ-013/014 checks). ``--seed S``
(declared by the fuzz stage) replays a run; without it the seed is random, or 0 when ``CI`` is set, and
always printed.
"""

from __future__ import annotations

import random

import pytest

from conformance.ci import running_in_ci
from conformance.model.machine import DEFAULT_LANES, ModelBudget, ModelRun

MARKER = "model: model-based scenarios generated and judged by conformance/model (leave out with -m 'not model')"
DEFAULT_EXAMPLES = 20
DEFAULT_STEPS = 25
DEFAULT_RACE_ROUNDS = 5
CI_SEED = 0
RUN_KEY = pytest.StashKey[ModelRun]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the model stage's options."""
    group = parser.getgroup("conformance-model", "CRUX conformance model stage")
    group.addoption("--model-examples", metavar="N", type=int, default=DEFAULT_EXAMPLES,
                    help=f"scenarios the model stage generates (default {DEFAULT_EXAMPLES})")  # fmt: skip
    group.addoption("--model-steps", metavar="N", type=int, default=DEFAULT_STEPS,
                    help=f"steps per scenario at most (default {DEFAULT_STEPS})")  # fmt: skip
    group.addoption("--model-lanes", metavar="N", type=int, default=DEFAULT_LANES,
                    help=f"scenarios sent at once; more suit a distant target (default {DEFAULT_LANES})")  # fmt: skip
    group.addoption("--race-rounds", metavar="N", type=int, default=DEFAULT_RACE_ROUNDS,
                    help=f"rounds of each REJ-013/014 race check (default {DEFAULT_RACE_ROUNDS})")  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; refuse budgets below one (exit 4, one line)."""
    config.addinivalue_line("markers", MARKER)
    for option in ("model_examples", "model_steps", "model_lanes", "race_rounds"):
        value = config.getoption(option)
        if value is not None and value < 1:
            raise pytest.UsageError(f"--{option.replace('_', '-')} must be at least 1, got {value}")


def budget_of(config: pytest.Config) -> ModelBudget:
    """The session's budget: the options, and the seed (given, 0 under CI, else random)."""
    seed = config.getoption("seed", default=None)
    if seed is None:
        seed = CI_SEED if running_in_ci() else random.SystemRandom().randrange(2**32)
    return ModelBudget(examples=config.getoption("model_examples"), steps=config.getoption("model_steps"),
                       seed=seed, lanes=config.getoption("model_lanes"))  # fmt: skip


@pytest.fixture(scope="session")
def model_budget(request: pytest.FixtureRequest) -> ModelBudget:
    """The model stage's budget for this session."""
    return budget_of(request.config)


@pytest.fixture(scope="session")
def race_rounds(request: pytest.FixtureRequest) -> int:
    """How many rounds each hand-written REJ-013/014 check runs (``--race-rounds``)."""
    return int(request.config.getoption("race_rounds"))


def remember(config: pytest.Config, run: ModelRun) -> None:
    """Keep the stage's run for the summary line."""
    config.stash[RUN_KEY] = run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """One line: scenarios, steps and requests the model stage ran, and its seed."""
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    terminalreporter.section("model stage")
    terminalreporter.write_line(
        f"{run.scenarios} scenarios, {run.steps} steps, {run.requests} requests, seed {run.seed} "
        f"(replay with -- --seed {run.seed}); {'FAILED' if run.failure else 'passed'}"
    )
