"""One outcome per check: typed failures rendered with their requirement id, setup/call/teardown folded into
one ``TestResult``, a target that stopped answering turned into "could not judge", and ``results.json`` for
plain pytest sessions (``--conformance-results``).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.client import NoAnswer
from conformance.errors import exception_chain
from conformance.failures import CheckFailure
from conformance.plugin.collection import requirement_of
from conformance.plugin.session import run_session
from conformance.probes import answers
from conformance.redaction import Redactor
from conformance.reporting import run_files
from conformance.results import ERROR, FAILED, PASSED, SKIPPED, TestResult, exit_code_for

#: A failure's one-line reason in results.json and the summaries is at most this long.
MESSAGE_LIMIT = 300
#: Prefixes pytest and Python put before a failure's own words.
NOISE_PREFIXES = ("Failed: ", "AssertionError: ", "conformance.client.NoAnswer: ")


def one_line(report: pytest.TestReport, redactor: Redactor) -> str:
    """The first line of a report's reason (the crash message, not the traceback), redacted."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if report.skipped and isinstance(report.longrepr, tuple):
        text = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif crash is not None and getattr(crash, "message", ""):
        text = str(crash.message)
        for prefix in NOISE_PREFIXES:
            text = text.removeprefix(prefix)
    else:
        text = report.longreprtext or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return redactor.text(lines[0] if lines else "")[:MESSAGE_LIMIT]


def rendered_failure(failure: CheckFailure, requirement: str | None) -> str:
    """A typed failure's text for the report: ``REJ-xxx: problem``, the evidence, then any notes."""
    notes = [str(note) for note in getattr(failure, "__notes__", ())]
    return failure.render(requirement) + ("\n" + "\n".join(notes) if notes else "")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """A typed check failure reads ``REJ-xxx: problem`` and its evidence, not a traceback; secrets masked."""
    report = yield
    if isinstance(report, pytest.TestReport) and report.failed and call.excinfo is not None:
        failure = call.excinfo.value
        if any(isinstance(each, NoAnswer) for each in exception_chain(failure)):
            report.user_properties.append(("unanswered", "yes"))
        if isinstance(failure, CheckFailure):
            report.longrepr = run_session(item.config).redactor.text(rendered_failure(failure, requirement_of(item)))
            broken = failure.requirements
            if broken:
                report.user_properties.append(("requirements_broken", ",".join(broken)))
    return report


class OutcomeFolding:
    """Folds setup/call/teardown reports into one ``TestResult`` per check (the worst of its phases)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the worst outcome of a check's phases, with a one-line redacted message."""
        session = run_session(self.config)
        properties = dict(report.user_properties)
        requirement = properties.get("requirement")
        if requirement is None:
            return
        session.active = True  # under xdist the controller collects nothing but receives the reports
        previous = session.results.get(report.nodeid)
        outcome, message = None, ""
        if report.when == "call":
            outcome = {"passed": PASSED, "failed": FAILED, "skipped": SKIPPED}[report.outcome]
            message = "" if report.passed else one_line(report, session.redactor)
        elif report.failed:  # setup or teardown broke: the check could not run cleanly
            outcome, message = ERROR, one_line(report, session.redactor)
        elif report.skipped and report.when == "setup":
            outcome, message = SKIPPED, one_line(report, session.redactor)
        if outcome is None or (previous is not None and previous.outcome in (FAILED, ERROR)):
            return
        if properties.get("unanswered"):
            session.unanswered_checks.add(report.nodeid)
        broken = str(properties.get("requirements_broken") or "")
        session.results[report.nodeid] = TestResult(
            report.nodeid, str(requirement), outcome, message, tuple(filter(None, broken.split(",")))
        )


def pytest_configure(config: pytest.Config) -> None:
    """Register the outcome folding for this session."""
    config.pluginmanager.register(OutcomeFolding(config), "conformance-outcomes")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn a target that stopped answering into "could not judge"; write results.json if asked."""
    state = run_session(session.config)
    if getattr(session.config, "workeroutput", None) is not None:
        return  # an xdist worker: the controller judges and writes
    unanswered = [request for client in state.clients for request in client.unanswered]
    if unanswered and session.exitstatus == pytest.ExitCode.TESTS_FAILED and not answers(state.clients[0]):
        state.stop_reason = (
            f"target unreachable: it stopped answering during the run (first unanswered: {unanswered[0]})"
        )
        state.target_stopped = True
        not_verified = f"not verified: {state.stop_reason}"
        for nodeid in state.unanswered_checks & set(state.results):  # the target's silence blames no requirement
            state.results[nodeid] = replace(state.results[nodeid], outcome=SKIPPED, message=not_verified[:300])
        session.exitstatus = pytest.ExitCode.INTERRUPTED  # maps to exit 2: could not judge
        exitstatus = int(session.exitstatus)
    path = session.config.getoption("conformance_results", default=None)
    if not path or not state.active:
        return
    result = state.result()
    run_files.write_results(
        Path(path),
        target=state.run_config.target.base_url if state.run_config else None,
        exit_code=exit_code_for(int(exitstatus)),
        tests=result.tests,
        latency=result.latency,
        fuzz_status_mix=result.fuzz_status_mix,
    )
    run_files.write_exchanges(Path(path).with_name("exchanges.jsonl"), result.recorder)
