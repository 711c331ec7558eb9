"""The pytest plugin that runs ``conformance.checks`` against a target.

Use it with ``pytest -p conformance.plugin --pyargs conformance.checks --base-url URL
--conformance-config FILE`` (``crux-conformance run`` does exactly that in-process). It provides the
options, the markers, the session fixtures (``run_config``, ``client``, ``provisioner``, ``fresh_order``,
``ledger``), the skip reasons, the requirement ids in junit properties, ``results.json`` and the final
per-requirement summary. It is inert in sessions that collect no check.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conformance import requirements
from conformance.client import Client, Exchange, Recorder
from conformance.config import RunConfig, load_config
from conformance.errors import ConformanceError, TargetError
from conformance.probes import Verdict, answers, preflight
from conformance.provisioning import Exhausted, Provisioner, StateUrlProvisioner, make_provisioner
from conformance.redaction import Redactor
from conformance.results import (
    ERROR,
    FAILED,
    PASSED,
    SKIPPED,
    TestResult,
    exit_code_for,
    latency_summary,
    requirement_verdicts,
    write_results,
)

#: The fuzz stage (REJ-060, ``conformance.checks.test_fuzz``) needs its own plugin; load it along with this one.
FUZZ_PLUGIN = "conformance.fuzz.plugin"
pytest_plugins = [FUZZ_PLUGIN] if importlib.util.find_spec(FUZZ_PLUGIN) is not None else []

MARKERS = {
    "requirement(id)": "the CONTRACT.md requirement (REJ-xxx) this check verifies",
    "smoke": "a quick subset that shows the endpoint basically works",
    "destructive": "changes state on the target (needs orders from provisioning)",
    "auth": "authentication and authorization",
    "identifiers": "order_uuid handling",
    "repeat": "repeated or out-of-order operations",
    "methods": "HTTP methods, trailing slash, request bodies",
    "security": "information leaks and reflected input",
    "concurrency": "simultaneous requests",
    "audit": "judges every exchange recorded so far; runs after the other checks",
    "fuzz": "Schemathesis on the generated spec (REJ-060)",
}

NOT_DESTRUCTIVE_REASON = "not run: destructive check skipped ([target] destructive = false)"
PRODUCTION_REASON = "refused: destructive check on a production target (pass --allow-production)"


def missing_credential_reason(role: str) -> str:
    """The exact skip reason of a check whose credential is absent."""
    return f"not verified: no `{role}` credential configured"


class Preset:
    """Hands an already-built RunConfig to the plugin (``crux-conformance run`` passes one in-process)."""

    def __init__(self, run_config: RunConfig, *, preflight_done: bool = False) -> None:
        self.run_config = run_config
        self.preflight_done = preflight_done
        self.state: _State | None = None  # the session's state, readable after pytest.main returns

    def tests(self) -> list[TestResult]:
        """The outcomes collected so far (one per check)."""
        return list(self.state.results.values()) if self.state else []

    def latency(self) -> dict[str, dict[str, float]]:
        """p50/p95/p99 per endpoint over the exchanges recorded so far."""
        return latency_summary(latency_samples(self.state.recorder)) if self.state else {}


@dataclass
class Ledger:
    """REJ-037's record: the state verdict after every refused attempt, by the check that made it."""

    entries: list[tuple[str, Verdict, Exchange]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, nodeid: str, verdict: Verdict, attempt: Exchange) -> None:
        """Remember the state verdict a check observed after its refused ``attempt``."""
        with self._lock:
            self.entries.append((nodeid, verdict, attempt))

    def snapshot(self) -> list[tuple[str, Verdict, Exchange]]:
        """A copy of the entries so far."""
        with self._lock:
            return list(self.entries)


@dataclass
class _State:
    """Everything the plugin keeps for one session."""

    run_config: RunConfig | None = None
    preflight_done: bool = False
    active: bool = False
    recorder: Recorder = field(default_factory=Recorder)
    ledger: Ledger = field(default_factory=Ledger)
    results: dict[str, TestResult] = field(default_factory=dict)
    redactor: Redactor = field(default_factory=Redactor)
    clients: list[Client] = field(default_factory=list)


STATE_KEY = pytest.StashKey[_State]()
STOPPED_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the plugin's options (``--base-url`` comes from pytest-base-url)."""
    group = parser.getgroup("conformance", "CRUX conformance checks")
    group.addoption("--conformance-config", metavar="FILE", help="the TOML run configuration")
    group.addoption(
        "--allow-production", action="store_true", help="run destructive checks on a production target"
    )
    group.addoption("--conformance-results", metavar="FILE", help="write machine-readable results.json here")


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and the session state."""
    for name, help_text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {help_text}")
    state = _State()
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, Preset):
            state.run_config = plugin.run_config
            state.preflight_done = plugin.preflight_done
            plugin.state = state
    config.stash[STATE_KEY] = state
    config.pluginmanager.register(_Collector(state), "conformance-collector")
    if state.run_config is not None or config.getoption("conformance_config"):
        _run_config(config)  # validate early (exit 4) and know the secrets before any report arrives


def _state(config: pytest.Config) -> _State:
    return config.stash[STATE_KEY]


def _run_config(config: pytest.Config) -> RunConfig:
    """The session's RunConfig: the preset one, or one loaded from the options (errors exit 4)."""
    state = _state(config)
    if state.run_config is None:
        path = config.getoption("conformance_config")
        overrides = {
            "base_url": config.getoption("base_url", default=None),
            "allow_production": config.getoption("allow_production"),
        }
        try:
            run_config = load_config(Path(path) if path else None, overrides)
            if not config.option.collectonly:  # listing the checks needs no target
                run_config.require_runnable()
        except ConformanceError as error:
            raise pytest.UsageError(error.message) from None
        state.run_config = run_config
    state.redactor = Redactor(state.run_config.secrets)
    return state.run_config


def _requirement_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("requirement")
    return str(marker.args[0]) if marker and marker.args else None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate requirement ids, skip destructive checks when not allowed, run audits last."""
    checks = [item for item in items if item.get_closest_marker("requirement")]
    if not checks:
        return
    state = _state(config)
    state.active = True
    run_config = _run_config(config)
    for item in checks:
        requirement = _requirement_of(item)
        if requirement not in requirements.BY_ID:
            raise pytest.UsageError(f"{item.nodeid}: unknown requirement id {requirement!r}")
        item.user_properties.append(("requirement", requirement))
        if item.get_closest_marker("destructive") and not run_config.target.may_change_state:
            reason = NOT_DESTRUCTIVE_REASON if not run_config.target.destructive else PRODUCTION_REASON
            item.add_marker(pytest.mark.skip(reason=reason))
    items.sort(key=lambda item: item.get_closest_marker("audit") is not None)


# ---- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def run_config(request: pytest.FixtureRequest) -> RunConfig:
    """The run configuration (target, credentials, provisioning, timeouts)."""
    return _run_config(request.config)


@pytest.fixture(scope="session")
def recorder(request: pytest.FixtureRequest) -> Recorder:
    """Every exchange the checks made in this session (redacted)."""
    return _state(request.config).recorder


@pytest.fixture(scope="session")
def ledger(request: pytest.FixtureRequest) -> Ledger:
    """State verdicts after refused attempts (REJ-037)."""
    return _state(request.config).ledger


@pytest.fixture(scope="session")
def provisioner(request: pytest.FixtureRequest, run_config: RunConfig) -> Provisioner:
    """The provisioner the config's mode names (under xdist, each worker gets its share of static orders)."""
    # This session's own xdist identity (not the environment's, which a parent pytest may have set).
    worker = getattr(request.config, "workerinput", None)
    share = (int(worker["workerid"].removeprefix("gw")), int(worker["workercount"])) if worker else (0, 1)
    try:
        return make_provisioner(run_config, share)
    except ConformanceError as error:
        pytest.exit(error.message, returncode=int(error.exit_code))


@pytest.fixture(scope="session")
def client(
    request: pytest.FixtureRequest, run_config: RunConfig, recorder: Recorder, provisioner: Provisioner
) -> Client:
    """The HTTP client of the run; the first use runs the preflight (unless ``run`` already did)."""
    the_client = Client.from_config(run_config, recorder)
    state = _state(request.config)
    state.clients.append(the_client)
    if not state.preflight_done:
        provision = provisioner.order if isinstance(provisioner, StateUrlProvisioner) else None
        try:
            preflight(the_client, provision)
        except ConformanceError as error:
            pytest.exit(error.message, returncode=int(error.exit_code))
        state.preflight_done = True
    return the_client


@pytest.fixture
def fresh_order(provisioner: Provisioner, client: Client) -> Callable[[str], str]:
    """``fresh_order(state) -> uuid``: a new order per call; exhaustion skips, failure stops the run (exit 2)."""

    def make(state: str) -> str:
        try:
            return provisioner.order(state)
        except Exhausted as exhausted:
            pytest.skip(str(exhausted))
        except TargetError as error:
            pytest.exit(error.message, returncode=int(error.exit_code))

    return make


@pytest.fixture
def need_role(client: Client) -> Callable[[str], None]:
    """``need_role(role)``: skip the check as not verified when ``role`` has no credential."""

    def need(role: str) -> None:
        if not client.has(role):
            pytest.skip(missing_credential_reason(role))

    return need


# ---- results and summary --------------------------------------------------------------------------


def _one_line(report: pytest.TestReport, redactor: Redactor) -> str:
    """The first line of a report's reason (the crash message, not the traceback), redacted."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if report.skipped and isinstance(report.longrepr, tuple):
        text = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif crash is not None and getattr(crash, "message", ""):
        text = str(crash.message).removeprefix("Failed: ").removeprefix("AssertionError: ")
        text = text.removeprefix("conformance.client.NoAnswer: ")
    else:
        text = report.longreprtext or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return redactor.text(lines[0] if lines else "")[:300]


class _Collector:
    """Folds setup/call/teardown reports into one outcome per check."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the worst outcome of a check's phases, with a one-line redacted message."""
        state = self.state
        requirement = dict(report.user_properties).get("requirement")
        if requirement is None:
            return
        state.active = True  # under xdist the controller collects nothing but receives the reports
        previous = state.results.get(report.nodeid)
        outcome, message = None, ""
        if report.when == "call":
            outcome = {"passed": PASSED, "failed": FAILED, "skipped": SKIPPED}[report.outcome]
            message = "" if report.passed else _one_line(report, state.redactor)
        elif report.failed:  # setup or teardown broke: the check could not run cleanly
            outcome, message = ERROR, _one_line(report, state.redactor)
        elif report.skipped and report.when == "setup":
            outcome, message = SKIPPED, _one_line(report, state.redactor)
        if outcome is None or (previous is not None and previous.outcome in (FAILED, ERROR)):
            return
        state.results[report.nodeid] = TestResult(report.nodeid, str(requirement), outcome, message)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn a target that stopped answering into "could not judge"; write results.json if asked."""
    state = _state(session.config)
    unanswered = [request for client in state.clients for request in client.unanswered]
    if unanswered and session.exitstatus == pytest.ExitCode.TESTS_FAILED and not answers(state.clients[0]):
        message = f"target unreachable: it stopped answering during the run (first unanswered: {unanswered[0]})"
        session.config.stash[STOPPED_KEY] = message
        session.exitstatus = pytest.ExitCode.INTERRUPTED  # maps to exit 2: could not judge
        exitstatus = int(session.exitstatus)
    path = session.config.getoption("conformance_results")
    if not path or not state.active:
        return
    write_results(
        Path(path),
        target=state.run_config.target.base_url if state.run_config else None,
        exit_code=exit_code_for(int(exitstatus)),
        tests=list(state.results.values()),
        latency=latency_summary(latency_samples(state.recorder)),
    )
    write_exchange_log(Path(path).with_name("exchanges.jsonl"), state.recorder)


def latency_samples(recorder: Recorder) -> dict[str, list[float]]:
    """Elapsed seconds per endpoint, from the recorded exchanges."""
    samples: dict[str, list[float]] = {}
    for exchange in recorder:
        samples.setdefault(exchange.endpoint, []).append(exchange.elapsed)
    return samples


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Label the exchanges that follow with the check that makes them."""
    _state(item.config).recorder.context = item.nodeid


def write_exchange_log(path: Path, recorder: Recorder) -> None:
    """Write every recorded exchange (redacted) as JSON lines, each with the check that made it."""
    import json

    with path.open("w", encoding="utf-8") as log:
        for check, exchange in recorder.labelled():
            log.write(json.dumps({"check": check, **exchange.as_record()}) + "\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print one line per requirement (passed / failed / not verified) and the skipped destructive checks."""
    state = _state(config)
    if not state.active or not state.results:
        return
    write = terminalreporter.write_line
    if STOPPED_KEY in config.stash:
        terminalreporter.section("could not judge", red=True)
        write(config.stash[STOPPED_KEY])
    tests = list(state.results.values())
    not_run = sorted({t.requirement or "" for t in tests if t.message in (NOT_DESTRUCTIVE_REASON, PRODUCTION_REASON)})
    terminalreporter.section("conformance by requirement")
    if not_run:
        write(f"destructive checks not run ({len(not_run)} requirements): {', '.join(not_run)}")
    verdicts = requirement_verdicts(tests)
    selected = {test.requirement for test in tests}
    for requirement in requirements.CATALOGUE:
        if requirement.id in selected:
            write(f"{requirement.id}  {verdicts[requirement.id].upper():<13} {requirement.title}")
    unselected = [requirement.id for requirement in requirements.CATALOGUE if requirement.id not in selected]
    if unselected:
        write(f"not verified, no check selected in this run: {', '.join(unselected)}")
    samples = latency_samples(state.recorder)
    for endpoint, figures in latency_summary(samples).items():
        write(
            f"latency {endpoint}: n={figures['count']:.0f} p50={figures['p50_ms']}ms "
            f"p95={figures['p95_ms']}ms p99={figures['p99_ms']}ms"
        )
