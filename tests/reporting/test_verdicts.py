"""Verdict rules: pass only when every check passed; skipped means not verified; failures win."""

from conformance.reporting.verdicts import Overall, Verdict, overall_verdict, requirement_verdicts
from conformance.requirements import CATALOGUE


def _all_passing() -> list[dict[str, object]]:
    return [
        {"nodeid": f"checks/test_x.py::test_{req.id}", "requirement": req.id, "outcome": "passed", "message": ""}
        for req in CATALOGUE
    ]


def _verdict_of(verdicts, requirement_id):
    return next(item for item in verdicts if item.requirement.id == requirement_id)


def test_every_check_passing_is_conformant():
    verdicts = requirement_verdicts(_all_passing())
    assert [item.requirement.id for item in verdicts] == sorted(req.id for req in CATALOGUE)
    assert overall_verdict(verdicts) is Overall.CONFORMANT
    assert _verdict_of(verdicts, "REJ-010").verdict is Verdict.PASS
    assert _verdict_of(verdicts, "REJ-070").verdict is Verdict.ADVISORY


def test_one_failure_makes_the_run_not_conformant_and_names_the_reason():
    tests = _all_passing()
    tests.append({"nodeid": "t::f", "requirement": "REJ-041", "outcome": "failed", "message": "got 200"})
    verdicts = requirement_verdicts(tests)
    item = _verdict_of(verdicts, "REJ-041")
    assert item.verdict is Verdict.FAIL
    assert item.reasons == ("got 200",)
    assert "t::f" in item.evidence
    assert overall_verdict(verdicts) is Overall.NOT_CONFORMANT


def test_an_error_counts_as_a_failure():
    tests = [*_all_passing(), {"nodeid": "t::e", "requirement": "REJ-013", "outcome": "error", "message": "boom"}]
    assert _verdict_of(requirement_verdicts(tests), "REJ-013").verdict is Verdict.FAIL


def test_a_skipped_check_leaves_its_requirement_not_verified_with_the_reason():
    reason = "not verified: no `retailer` credential configured"
    tests = [test for test in _all_passing() if test["requirement"] != "REJ-040"]
    tests.append({"nodeid": "t::r", "requirement": "REJ-040", "outcome": "skipped", "message": reason})
    verdicts = requirement_verdicts(tests)
    item = _verdict_of(verdicts, "REJ-040")
    assert item.verdict is Verdict.NOT_VERIFIED
    assert item.reasons == (reason,)
    assert overall_verdict(verdicts) is Overall.INCOMPLETE


def test_a_partly_skipped_requirement_is_not_verified_not_passed():
    tests = _all_passing()
    tests.append({"nodeid": "t::s", "requirement": "REJ-037", "outcome": "skipped", "message": "no expired"})
    assert _verdict_of(requirement_verdicts(tests), "REJ-037").verdict is Verdict.NOT_VERIFIED


def test_a_requirement_without_any_check_is_not_verified():
    tests = [test for test in _all_passing() if test["requirement"] != "REJ-060"]
    verdicts = requirement_verdicts(tests)
    assert _verdict_of(verdicts, "REJ-060").verdict is Verdict.NOT_VERIFIED
    assert _verdict_of(verdicts, "REJ-060").reasons == ("no check ran",)
    assert overall_verdict(verdicts) is Overall.INCOMPLETE


def test_an_advisory_requirement_does_not_make_a_run_incomplete():
    tests = [test for test in _all_passing() if test["requirement"] != "REJ-070"]
    assert overall_verdict(requirement_verdicts(tests)) is Overall.CONFORMANT


def test_a_failed_advisory_requirement_still_fails_the_run():
    tests = [*_all_passing(), {"nodeid": "t::l", "requirement": "REJ-070", "outcome": "failed", "message": "p95"}]
    assert overall_verdict(requirement_verdicts(tests)) is Overall.NOT_CONFORMANT


def test_unknown_requirement_ids_are_ignored_by_the_verdicts():
    tests = [*_all_passing(), {"nodeid": "t::u", "requirement": "REJ-999", "outcome": "failed", "message": "x"}]
    assert overall_verdict(requirement_verdicts(tests)) is Overall.CONFORMANT
