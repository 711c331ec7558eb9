"""The pytest plugin that runs ``conformance.checks`` against a target.

Use it with ``pytest -p conformance.plugin --pyargs conformance.checks --base-url URL
--conformance-config FILE`` (``crux-conformance run`` does exactly that in-process). It provides the
options, the markers, the session fixtures (``run_config``, ``client``, ``provisioner``, ``fresh_order``,
``ledger``), the skip reasons, the requirement ids in junit properties, ``results.json`` and the final
per-requirement summary. It is inert in sessions that collect no check.

It also installs the run's rate cap and request budget (``conformance.ratelimit``) for the session, stops
the run with exit 2 and one line when the budget is used up or a static order list runs out, reports a
check whose target kept answering 429 as not verified (never failed), and in a run that may not change
state (read-only, or production without ``--allow-production``) provisions nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance import ratelimit, requirements
from conformance.client import Client, Exchange, Recorder, Throttled
from conformance.config import RunConfig, load_config
from conformance.errors import ConformanceError, TargetError
from conformance.probes import Verdict, answers, preflight
from conformance.provisioning import (
    ApiProvisioner,
    Exhausted,
    Provisioner,
    StateUrlProvisioner,
    Unavailable,
    make_provisioner,
)
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
pytest_plugins = [FUZZ_PLUGIN, "conformance.model.options"]

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
READ_ONLY_PROVISIONING = "not run: this run may not change state, so it provisions no order"
#: Requests a REJ-013/014 check sends (N together plus warm-ups, provisioning and probes) are paid for at
#: once under a rate cap, so the simultaneous ones leave together: ``CONCURRENCY_PREPAY(N)`` tokens.
CONCURRENCY_EXTRA_REQUESTS = 8


def provisioner_for_preflight(run_config: RunConfig, provisioner: Provisioner) -> Callable[[str], str] | None:
    """What the preflight may provision with: nothing in a run that may not change state or in static mode."""
    if not run_config.target.may_change_state:
        return None
    return provisioner.order if isinstance(provisioner, StateUrlProvisioner | ApiProvisioner) else None


class NoProvisioning:
    """The provisioner of a run that may not change state: every request for an order is refused."""

    def order(self, state: str) -> str:
        """Refuse: a read-only or production run makes no order."""
        raise Unavailable(READ_ONLY_PROVISIONING)


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

    def stop_reason(self) -> str | None:
        """Why the run stopped early with exit 2 (one line), or None."""
        return self.state.stop_reason if self.state else None

    def created_orders(self) -> list[dict[str, str]]:
        """Orders the checks made through the API (mode ``api``; xdist workers included)."""
        return self.state.created_orders() if self.state else []

    def traffic(self) -> dict[str, Any]:
        """Requests sent and 429s waited out in this run (xdist workers included)."""
        return self.state.traffic() if self.state else ratelimit.limiter().summary()


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
    stop_reason: str | None = None  # why the run stopped early (budget, static orders ran out), for `run`
    worker_traffic: dict[str, dict[str, Any]] = field(default_factory=dict)  # by xdist worker id
    provisioners: list[Provisioner] = field(default_factory=list)
    worker_orders: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # by xdist worker id

    def created_orders(self) -> list[dict[str, str]]:
        """Orders this session made through the API (mode ``api``), its xdist workers' included."""
        own = [order for made in self.provisioners for order in getattr(made, "created", [])]
        return own + [order for orders in self.worker_orders.values() for order in orders]

    def traffic(self) -> dict[str, Any]:
        """This process's requests and 429s plus those of its xdist workers."""
        return ratelimit.merge_summaries([ratelimit.limiter().summary(), *self.worker_traffic.values()])


STATE_KEY = pytest.StashKey[_State]()
TRAFFIC_OUTPUT = "conformance_traffic"
ORDERS_OUTPUT = "conformance_orders"
STOP_OUTPUT = "conformance_stop_reason"
STOPPED_KEY = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the plugin's options (``--base-url`` comes from pytest-base-url)."""
    group = parser.getgroup("conformance", "CRUX conformance checks")
    group.addoption("--conformance-config", metavar="FILE", help="the TOML run configuration")
    group.addoption(
        "--allow-production", action="store_true", help="run destructive checks on a production target"
    )
    group.addoption("--conformance-results", metavar="FILE", help="write machine-readable results.json here")
    group.addoption("--conformance-max-rps", metavar="N", type=float, help="requests per second ([target] max_rps)")
    group.addoption(
        "--conformance-max-requests", metavar="N", type=int, help="the run's request budget ([target] max_requests)"
    )


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
            "max_rps": config.getoption("conformance_max_rps"),
            "max_requests": config.getoption("conformance_max_requests"),
        }
        try:
            run_config = load_config(Path(path) if path else None, overrides)
            if not config.option.collectonly:  # listing the checks needs no target
                run_config.require_runnable()
        except ConformanceError as error:
            raise pytest.UsageError(error.message) from None
        state.run_config = run_config
    state.redactor = Redactor(state.run_config.secrets)
    _install_limits(config, state.run_config)
    return state.run_config


def _share(config: pytest.Config) -> tuple[int, int]:
    """This session's ``(index, count)`` among xdist workers (its own identity, not the environment's)."""
    worker = getattr(config, "workerinput", None)
    return (int(worker["workerid"].removeprefix("gw")), int(worker["workercount"])) if worker else (0, 1)


def _install_limits(config: pytest.Config, run_config: RunConfig) -> None:
    """Install the run's rate cap and budget process-wide (kept as is when `run` already installed them)."""
    ratelimit.configure(run_config.max_rps, run_config.max_requests, burst=run_config.concurrency,
                        share=_share(config))  # fmt: skip
    ratelimit.install_everywhere()  # Schemathesis's own sessions (auth probes) too; undone at unconfigure


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Collect an xdist worker's traffic and stop reason (the controller reports the whole run)."""
    output = getattr(node, "workeroutput", None) or {}
    state = _state(node.config)
    worker = str((getattr(node, "workerinput", None) or {}).get("workerid", id(node)))
    if output.get(TRAFFIC_OUTPUT):  # xdist may report a worker down more than once: keep one per worker
        state.worker_traffic[worker] = output[TRAFFIC_OUTPUT]
    if output.get(ORDERS_OUTPUT):
        state.worker_orders[worker] = list(output[ORDERS_OUTPUT])
    if output.get(STOP_OUTPUT) and state.stop_reason is None:
        state.stop_reason = str(output[STOP_OUTPUT])


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give ``requests`` back its plain adapters."""
    ratelimit.uninstall_everywhere()


def stop_run(config: pytest.Config, message: str, code: int = 2) -> None:
    """End the session now with ``code`` and one line, remembered for `run`'s last line."""
    _state(config).stop_reason = message
    pytest.exit(message, returncode=code)


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
    """The provisioner the config's mode names (under xdist, each worker gets its share of static orders).

    A run that may not change state (read-only, or production without ``--allow-production``) gets one
    that provisions nothing.
    """
    if not run_config.target.may_change_state:
        return NoProvisioning()
    try:
        made = make_provisioner(run_config, _share(request.config))
        _state(request.config).provisioners.append(made)
        return made
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
        provision = provisioner_for_preflight(run_config, provisioner)
        try:
            preflight(the_client, provision)
        except ConformanceError as error:
            pytest.exit(error.message, returncode=int(error.exit_code))
        state.preflight_done = True
    return the_client


@pytest.fixture
def fresh_order(request: pytest.FixtureRequest, provisioner: Provisioner, client: Client) -> Callable[[str], str]:
    """``fresh_order(state) -> uuid``: a new order per call.

    An order the configuration cannot make skips the check (not verified); a static list that ran out or
    a provisioning failure stops the run (exit 2) with one line naming the state.
    """

    def make(state: str) -> str:
        try:
            return provisioner.order(state)
        except Unavailable as unavailable:
            pytest.skip(str(unavailable))
        except Exhausted as exhausted:
            stop_run(request.config, str(exhausted))
        except TargetError as error:
            stop_run(request.config, error.message, int(error.exit_code))

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
        broken = dict(report.user_properties).get("requirements_broken")  # a model scenario names what it broke
        if outcome == FAILED and broken:
            for broken_id in str(broken).split(","):
                state.results[f"{report.nodeid}[{broken_id}]"] = TestResult(report.nodeid, broken_id, outcome, message)
            return
        state.results[report.nodeid] = TestResult(report.nodeid, str(requirement), outcome, message)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn a target that stopped answering into "could not judge"; write results.json if asked."""
    state = _state(session.config)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand its traffic and stop reason to the controller
        workeroutput[TRAFFIC_OUTPUT] = ratelimit.limiter().summary()
        workeroutput[ORDERS_OUTPUT] = state.created_orders()
        workeroutput[STOP_OUTPUT] = state.stop_reason or ratelimit.limiter().exceeded
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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """Under a rate cap, pay a REJ-013/014 check's requests up front so its simultaneous ones leave together."""
    state = _state(item.config)
    if item.get_closest_marker("concurrency") and state.run_config is not None:
        ratelimit.limiter().prepay(2 * state.run_config.concurrency + CONCURRENCY_EXTRA_REQUESTS)


def _limit_cause(error: BaseException | None, depth: int = 0) -> str | None:
    """The not-verified reason when ``error`` is (or wraps) a 429 that persisted or the exhausted budget."""
    if error is None or depth > 5:
        return None
    if isinstance(error, Throttled):
        return error.message
    if isinstance(error, ratelimit.RequestBudgetExceeded):
        return f"not verified: {error.message}"
    for inner in (*getattr(error, "exceptions", ()), error.__cause__, error.__context__):
        cause = _limit_cause(inner, depth + 1)
        if cause is not None:
            return cause
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """A check cut short by a persisting 429 or the exhausted request budget is not verified, never failed."""
    report = yield
    if isinstance(report, pytest.TestReport) and report.failed and call.excinfo is not None:
        cause = _limit_cause(call.excinfo.value)
        if cause is not None:
            report.outcome = "skipped"
            reason = _state(item.config).redactor.text(cause)
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
    return report


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the run (exit 2, one line) once the request budget is used up."""
    exceeded = ratelimit.limiter().exceeded
    if exceeded and _state(item.config).active:
        stop_run(item.config, exceeded)


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
    for line in traffic_lines(state.traffic()):
        write(line)


def traffic_lines(traffic: dict[str, object]) -> list[str]:
    """Lines on the requests sent under the run's limits and the 429s waited out (never judged)."""
    limits = []
    if traffic["max_rps"] is not None:
        limits.append(f"rate capped at {traffic['max_rps']:g}/s (burst {traffic['burst']})")
    if traffic["max_requests"] is not None:
        limits.append(f"budget {traffic['max_requests']}")
    lines = [f"requests sent: {traffic['requests_sent']}" + (f" ({', '.join(limits)})" if limits else "")]
    if traffic["throttled"]:
        lines.append(
            f"429 Too Many Requests: {traffic['throttled']} answer(s) waited out "
            f"({traffic['throttled_wait_seconds']}s, Retry-After honoured); not counted as non-conformance"
        )
    return lines
