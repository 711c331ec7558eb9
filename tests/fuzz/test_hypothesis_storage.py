"""Hypothesis's storage goes to the user cache unless the user chose a place; a run leaves no .hypothesis behind."""

from __future__ import annotations

import os

from conformance.fuzz.hypothesis_storage import ENV_VARIABLE, use_user_cache_for_hypothesis
from tests.cli_runs import run_stage


def test_unset_it_points_at_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    monkeypatch.setenv("CRUX_CONFORMANCE_CACHE_DIR", str(tmp_path / "cache"))
    chosen = use_user_cache_for_hypothesis()
    assert chosen == tmp_path / "cache" / "hypothesis" and chosen.is_dir()
    assert os.environ[ENV_VARIABLE] == str(chosen)


def test_the_users_choice_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "mine"))
    monkeypatch.setenv("CRUX_CONFORMANCE_CACHE_DIR", str(tmp_path / "cache"))
    assert use_user_cache_for_hypothesis() == tmp_path / "mine"
    assert not (tmp_path / "cache").exists()


def test_an_unusable_cache_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CRUX_CONFORMANCE_CACHE_DIR", str(blocker))
    assert use_user_cache_for_hypothesis() is None
    assert ENV_VARIABLE not in os.environ


def test_a_fuzz_run_leaves_no_hypothesis_folder_in_its_working_directory(reference, tmp_path):
    run = run_stage(reference.config_toml(), tmp_path, "--seed", "1", "--fuzz-examples", "2", "-k", "not stateful")
    assert run.status_mix(), run.output[-3000:]  # Hypothesis generated and sent cases (2 examples: no verdict asked)
    assert not (tmp_path / ".hypothesis").exists()
