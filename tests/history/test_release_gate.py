"""can-i-release and record-release over histories built in the tests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from conformance.history.after_run import record_run
from conformance.history.store import open_history

from .cli import assert_one_line_exit_4, run_cli, run_process


def test_no_run_of_the_version_is_no(history_url, capsys):
    done = run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "2.0")
    assert done.code == 1
    assert done.out.splitlines() == [
        "no: 2.0 may not go to production",
        "- no run of version 2.0 is recorded in the history",
    ]


def test_first_release_of_a_conformant_version_is_yes(report, history_url, capsys):
    report("r1", version="1.0", history=history_url)
    done = run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.0")
    assert done.code == 0, done.out
    assert "yes: 1.0 may go to production" in done.out
    assert "note: no release to production recorded yet" in done.out


def test_the_latest_run_of_the_version_decides(report, history_url, capsys):
    report("r1", version="1.1", history=history_url, failing={"REJ-013"})
    assert run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.1").code == 1
    report("r2", version="1.1", history=history_url)  # fixed and re-run
    assert run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.1").code == 0


def test_a_regression_against_the_released_version_is_no_with_one_reason_per_line(report, history_url, capsys):
    report("r1", version="1.0", history=history_url)
    released = run_cli(capsys, "record-release", "--history", history_url, "--target-version", "1.0",
                       "--environment", "production")  # fmt: skip
    assert released.code == 0 and "recorded release #1: 1.0" in released.out
    report("r2", version="1.1", history=history_url, failing={"REJ-013", "REJ-020"}, skipped={"REJ-041"})
    done = run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.1")
    assert done.code == 1
    lines = done.out.splitlines()
    assert lines[0] == "no: 1.1 may not go to production"
    assert any(
        line.startswith("- latest run #2 1.1")
        and "is NOT CONFORMANT; failed: REJ-013, REJ-020; not verified: REJ-041" in line
        for line in lines
    ), lines
    assert "- REJ-013 regressed against 1.0 (released to production): pass -> fail" in lines
    assert "- REJ-020 regressed against 1.0 (released to production): pass -> fail" in lines
    assert "- REJ-041 newly not verified against 1.0 (released to production): pass -> not verified" in lines


def test_a_release_to_another_environment_is_not_the_baseline(report, history_url, capsys):
    report("r1", version="1.0", history=history_url)
    run_cli(capsys, "record-release", "--history", history_url, "--target-version", "1.0", "--environment", "staging")
    report("r2", version="1.1", history=history_url)
    done = run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.1", "--to", "production")
    assert done.code == 0 and "no release to production recorded yet" in done.out
    staged = run_cli(capsys, "can-i-release", "--history", history_url, "--target-version", "1.1", "--to", "staging")
    assert staged.code == 0 and "note" not in staged.out


def test_a_run_judged_by_another_suite_or_spec_is_no(report, tmp_path, capsys):
    history = str(tmp_path / "h.sqlite3")
    folder = report("r1", version="1.0")
    certificate = json.loads((folder / "certificate.json").read_text())
    certificate["covers"]["suite_sha256"] = "0" * 64
    certificate["covers"]["spec"] = {"path": "old.yaml", "sha256": "1" * 64}
    record_run(history, certificate, folder / "certificate.json", 0)
    done = run_cli(capsys, "can-i-release", "--history", history, "--target-version", "1.0")
    assert done.code == 1
    assert "was judged with another suite (000000000000, current" in done.out
    assert "was judged with another spec (111111111111, current" in done.out
    assert "contract model" not in done.out


def test_a_version_recorded_for_several_targets_needs_target(report, tmp_path, capsys):
    history = str(tmp_path / "h.sqlite3")
    folder = report("r1", version="1.0", history=history)
    certificate = json.loads((folder / "certificate.json").read_text())
    certificate["covers"]["target"] = "http://127.0.0.1:10"
    record_run(history, certificate, folder / "certificate.json", 0)
    assert_one_line_exit_4(run_process("can-i-release", "--history", history, "--target-version", "1.0"))
    chosen = run_cli(capsys, "can-i-release", "--history", history, "--target-version", "1.0",
                     "--target", "http://127.0.0.1:10")  # fmt: skip
    assert chosen.code == 0, chosen.out


def test_record_release_of_an_unrecorded_version_is_one_line_exit_4(tmp_path):
    done = run_process("record-release", "--history", str(tmp_path / "h.sqlite3"), "--target-version", "9.9",
                       "--environment", "production")  # fmt: skip
    assert_one_line_exit_4(done)
    assert "no run of version 9.9" in done.err


def test_record_release_points_at_the_latest_run(report, history_url, capsys):
    report("r1", version="1.0", history=history_url, failing={"REJ-010"})
    report("r2", version="1.0", history=history_url)
    run_cli(capsys, "record-release", "--history", history_url, "--target-version", "1.0", "--environment", "prod")
    with open_history(history_url) as store:
        release = store.last_release("http://127.0.0.1:9", "prod")
        assert release is not None and release.run_id == store.runs(limit=1)[0].id


def test_can_i_release_without_history_is_exit_4():
    done = run_process("can-i-release", "--target-version", "1.0")
    assert done.code == 4 and "--history" in done.err and "Traceback" not in done.err
