"""The fuzz stage's settings: the packaged and the CLI schemathesis.toml agree; run values layer on top."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conformance.ci import running_in_ci
from conformance.errors import UsageError
from conformance.fuzz.settings import DEFAULT_EXAMPLES, FuzzOptions, build_config, packaged_settings

SHARED_KEYS = ("checks", "phases", "request-timeout")


def root_settings(repo_root: Path) -> dict:
    return tomllib.loads((repo_root / "schemathesis.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", SHARED_KEYS)
def test_cli_settings_match_the_suite_settings(repo_root, key):
    assert root_settings(repo_root)[key] == packaged_settings()[key]


def test_cli_generation_matches_apart_from_the_budget(repo_root):
    cli = dict(root_settings(repo_root)["generation"])
    assert cli.pop("max-examples") == DEFAULT_EXAMPLES
    assert cli == packaged_settings()["generation"]


def test_cli_settings_keep_secrets_and_placeholders_out_of_the_file(repo_root):
    text = (repo_root / "schemathesis.toml").read_text(encoding="utf-8")
    assert "${" not in "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert root_settings(repo_root)["hooks"] == "conformance.fuzz.hooks"


def test_run_values_reach_the_schemathesis_config():
    config = build_config(FuzzOptions(examples=7, seed=42), base_url="http://127.0.0.1:1")
    project = config.projects.get_default()
    assert config.seed == 42
    assert project.base_url == "http://127.0.0.1:1"
    generation = project.generation_for(phase="fuzzing")
    assert generation.max_examples == 7
    assert generation.deterministic is False  # an explicit seed wins over derandomizing
    assert project.checks_config_for().negative_data_rejection.expected_statuses[:3] == ["400", "401", "403"]


def test_ci_derandomizes_when_no_seed_is_given():
    generation = build_config(FuzzOptions(deterministic=True)).projects.get_default().generation_for(phase="fuzzing")
    assert generation.deterministic is True


CI_VALUES = [("", False), ("0", False), ("false", False), ("true", True), ("1", True)]


@pytest.mark.parametrize(("value", "expected"), CI_VALUES)
def test_ci_variable(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert running_in_ci() is expected


@pytest.mark.parametrize("kwargs", [{"examples": 0}, {"examples": 10_001}, {"seed": -1}])
def test_bad_options_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        FuzzOptions(**kwargs)
