"""The history database: versioned migrations, round trips, concurrent writers, bad locations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conformance.errors import TargetError, UsageError
from conformance.history.locations import masked_url, parse_history
from conformance.history.records import RequirementOutcome, RunRecord
from conformance.history.schema import LATEST_VERSION
from conformance.history.store import open_history
from conformance.requirements import CATALOGUE

from .cli import assert_one_line_exit_4, run_process

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITERS, RUNS_EACH = 6, 8
WRITERS_TIMEOUT_S = 180


def a_run(version: str, verdict: str = "CONFORMANT", failing: tuple[str, ...] = ()) -> RunRecord:
    def outcome(requirement: str) -> RequirementOutcome:
        if requirement in failing:
            return RequirementOutcome(requirement, "fail", ("why",), ("t",))
        return RequirementOutcome(requirement, "pass", (), ("t",))

    outcomes = tuple(outcome(req.id) for req in CATALOGUE)
    return RunRecord("http://t", version, "staging", verdict, 0, "0.1.0", "s", "p", "m", "c", "i", "r", outcomes)


def test_a_run_round_trips_with_its_verdicts_and_releases(history_url):
    with open_history(history_url) as store:
        first = store.record_run(a_run("1.0"))
        second = store.record_run(a_run("1.1", "NOT CONFORMANT", failing=("REJ-013",)))
        release = store.record_release("http://t", "1.0", "production", first)
    with open_history(history_url) as store:  # reopened: nothing is migrated twice, nothing lost
        runs = store.runs()
        assert [run.id for run in runs] == [second, first]
        assert runs[0].verdicts()["REJ-013"] == "fail" and runs[0].requirements[0].evidence == ("t",)
        failing = next(item for item in runs[0].requirements if item.requirement == "REJ-013")
        assert failing.reasons == ("why",)
        assert store.runs(version="1.0")[0].id == first
        assert store.last_release("http://t", "production") == release
        assert store.last_release("http://t", "staging") is None
        assert store.targets_of_version("1.1") == ["http://t"]


def test_migrations_are_versioned_and_applied_once(tmp_path):
    path = tmp_path / "h.sqlite3"
    for _ in range(2):
        with open_history(str(path)) as store:
            assert store.migrate() == LATEST_VERSION
    rows = sqlite3.connect(path).execute("SELECT version FROM schema_version").fetchall()
    assert rows == [(version,) for version in range(1, LATEST_VERSION + 1)]


def test_a_history_from_a_newer_suite_is_refused_with_one_line(tmp_path):
    path = tmp_path / "h.sqlite3"
    with open_history(str(path)):
        pass
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO schema_version (version) VALUES (?)", (LATEST_VERSION + 1,))
    connection.commit()
    connection.close()
    with pytest.raises(UsageError, match="newer than this crux-conformance knows"), open_history(str(path)):
        pass


def _writers(url: str) -> None:
    command = [sys.executable, "-m", "tests.history.writer", url]
    processes = [
        subprocess.Popen([*command, f"w{index}", str(RUNS_EACH)], cwd=REPO_ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for index in range(WRITERS)
    ]  # fmt: skip
    deadline = time.monotonic() + WRITERS_TIMEOUT_S
    try:
        for process in processes:
            _, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
            assert process.returncode == 0, err[-2000:]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_concurrent_writers_lose_nothing(history_url):
    """Several processes migrate one fresh history and write to it at once; every run arrives whole."""
    _writers(history_url)
    with open_history(history_url) as store:
        runs = store.runs()
    assert len(runs) == WRITERS * RUNS_EACH
    assert len({run.id for run in runs}) == WRITERS * RUNS_EACH
    assert {run.target_version for run in runs} == {f"w{w}-{i}" for w in range(WRITERS) for i in range(RUNS_EACH)}
    assert all(len(run.requirements) == len(CATALOGUE) for run in runs)


@pytest.mark.parametrize(
    ("value", "kind", "target"),
    [
        ("history.sqlite3", "sqlite", "history.sqlite3"),
        ("sqlite:///rel/h.db", "sqlite", "rel/h.db"),
        ("sqlite:////abs/h.db", "sqlite", "/abs/h.db"),
        ("postgresql://u:pw@db:5432/h", "postgresql", "postgresql://u:pw@db:5432/h"),
        ("postgres://db/h", "postgresql", "postgres://db/h"),
    ],
)
def test_history_locations(value, kind, target):
    location = parse_history(value)
    assert (location.kind, location.target) == (kind, target)
    assert "pw" not in location.display


@pytest.mark.parametrize("value", ["", "mysql://db/h", "sqlite://", "postgresql://"])
def test_unsupported_history_locations_are_usage_errors(value):
    with pytest.raises(UsageError):
        parse_history(value)


def test_masked_url_hides_the_password():
    assert masked_url("postgresql://crux:s3cret@db:5432/h") == "postgresql://crux:***@db:5432/h"


def test_an_unreachable_postgresql_is_exit_2_and_never_shows_the_password():
    url = "postgresql://crux:s3cretpw@127.0.0.1:1/h?connect_timeout=2"
    with pytest.raises(TargetError) as raised, open_history(url):
        pass
    assert "s3cretpw" not in raised.value.message


def test_a_file_that_is_no_database_is_one_line_exit_4(tmp_path):
    not_a_db = tmp_path / "h.sqlite3"
    not_a_db.write_bytes(b"this is not a sqlite database at all, just text" * 50)
    assert_one_line_exit_4(run_process("history", "--history", str(not_a_db)))


def test_a_history_in_a_missing_folder_is_one_line_exit_4(tmp_path):
    assert_one_line_exit_4(run_process("history", "--history", str(tmp_path / "no" / "such" / "h.sqlite3")))


def test_a_password_in_a_postgresql_history_url_never_shows(postgres_database, tmp_path):
    parts = urlsplit(postgres_database)
    with_password = urlunsplit(parts._replace(netloc=f"{parts.username}:s3cretpw@{parts.hostname}:{parts.port}"))
    listed = run_process("history", "--history", with_password)
    refused = run_process("record-release", "--history", with_password, "--target-version", "9", "--environment", "p")
    assert listed.code == 0 and refused.code == 4, (listed.err, refused.err)
    assert "postgresql://postgres:***@" in refused.err
    assert "s3cretpw" not in listed.out + listed.err + refused.out + refused.err
