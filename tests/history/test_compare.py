"""compare: every transition between two runs, its renderings, exit codes and the GitHub step summary."""

from __future__ import annotations

import json

import pytest

from conformance.history.compare import Transition, compare_outcomes, transition
from conformance.history.records import RequirementOutcome

from .cli import assert_one_line_exit_4, run_cli, run_process


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("pass", "fail", Transition.REGRESSED),
        ("not verified", "fail", Transition.REGRESSED),
        ("absent", "fail", Transition.REGRESSED),
        ("advisory", "fail", Transition.REGRESSED),
        ("fail", "fail", Transition.STILL_FAILING),
        ("fail", "pass", Transition.FIXED),
        ("fail", "advisory", Transition.FIXED),
        ("fail", "not verified", Transition.NEWLY_NOT_VERIFIED),
        ("pass", "not verified", Transition.NEWLY_NOT_VERIFIED),
        ("pass", "absent", Transition.NEWLY_NOT_VERIFIED),
        ("not verified", "pass", Transition.NEWLY_VERIFIED),
        ("pass", "pass", Transition.UNCHANGED),
        ("not verified", "not verified", Transition.UNCHANGED),
        ("advisory", "advisory", Transition.UNCHANGED),
    ],
)
def test_transition_of_every_verdict_pair(old, new, expected):
    assert transition(old, new) is expected


def test_compare_outcomes_covers_both_runs_requirements():
    old = [RequirementOutcome("REJ-001", "pass"), RequirementOutcome("REJ-002", "fail")]
    new = [RequirementOutcome("REJ-002", "pass"), RequirementOutcome("REJ-003", "fail", ("boom",), ("t::x",))]
    comparison = compare_outcomes(old, new, old_label="a", new_label="b")
    kinds = {change.requirement: change.transition for change in comparison.changes}
    assert kinds == {
        "REJ-001": Transition.NEWLY_NOT_VERIFIED,
        "REJ-002": Transition.FIXED,
        "REJ-003": Transition.REGRESSED,
    }
    assert comparison.regressed


def test_compare_names_every_transition_and_the_regressions_evidence(report, capsys):
    old = report("old", failing={"REJ-010", "REJ-011"}, skipped={"REJ-036"})
    new = report("new", failing={"REJ-011", "REJ-020"}, skipped={"REJ-041"})
    done = run_cli(capsys, "compare", str(old), str(new))
    assert done.code == 1, done.out
    assert "REGRESSED (1):" in done.out and "REJ-020  pass -> fail" in done.out
    assert "STILL FAILING (1):" in done.out and "REJ-011  fail -> fail" in done.out
    assert "FIXED (1):" in done.out and "REJ-010  fail -> pass" in done.out
    assert "NEWLY NOT VERIFIED (1):" in done.out and "REJ-041  pass -> not verified" in done.out
    assert "NEWLY VERIFIED (1):" in done.out and "REJ-036  not verified -> pass" in done.out
    assert "reason: REJ-020: expected 422, got 200" in done.out
    assert "evidence: conformance/checks/test_x.py::test_rej_020" in done.out
    # the regression's evidence is printed, the still-failing one's is not repeated
    assert "evidence: conformance/checks/test_x.py::test_rej_011" not in done.out


def test_compare_without_regression_exits_0_and_json_counts_every_transition(report, capsys):
    old = report("old", failing={"REJ-010"}, skipped={"REJ-036"})
    new = report("new", skipped={"REJ-041"})
    done = run_cli(capsys, "compare", str(old / "certificate.json"), str(new / "certificate.json"), "--format", "json")
    assert done.code == 0, done.out
    document = json.loads(done.out)
    assert document["regressed"] is False
    assert document["counts"]["fixed"] == 1 and document["counts"]["newly not verified"] == 1
    assert document["counts"]["newly verified"] == 1 and document["counts"]["regressed"] == 0
    assert document["counts"]["unchanged"] == len(document["changes"]) - 3


def test_compare_markdown_goes_to_the_github_step_summary(report, capsys, tmp_path, monkeypatch):
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    old, new = report("old"), report("new", failing={"REJ-013"})
    done = run_cli(capsys, "compare", str(old), str(new), "--format", "md")
    assert done.code == 1
    assert done.out.startswith("## Conformance compare:")
    assert "| REJ-013 | regressed | pass | fail |" in done.out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, never overwritten
    assert "### REJ-013 regressed (pass → fail)" in text


def test_compare_a_folder_without_certificate_is_one_line_exit_4(tmp_path, report):
    (tmp_path / "empty").mkdir()
    assert_one_line_exit_4(run_process("compare", str(tmp_path / "empty"), str(report("new"))))


def test_compare_a_broken_certificate_is_one_line_exit_4(tmp_path, report):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    done = run_process("compare", str(broken), str(report("new")))
    assert_one_line_exit_4(done)
    assert "not JSON" in done.err


def test_compare_unknown_format_is_exit_4(report):
    done = run_process("compare", str(report("a")), str(report("b")), "--format", "xml")
    assert done.code == 4 and "Traceback" not in done.err
