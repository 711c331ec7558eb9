"""The pytest plugin of the fuzz stage (REJ-060): options, the ``fuzz`` marker, the session fixture, the status mix.

Load it next to the suite's plugin: ``pytest -p conformance.plugin -p conformance.fuzz.plugin --pyargs
conformance.checks``. Options: ``--spec FILE``, ``--fuzz-examples N``, ``--seed S``, ``--fuzz-siblings``.
The fuzz items run the Schemathesis test of ``conformance.checks.test_fuzz`` per operation; after each
one, this plugin fails it unless the operation answered the required status mix (2xx, 404 and 422).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from conformance.config import RunConfig, load_config
from conformance.errors import ConformanceError, UsageError
from conformance.fuzz import auth
from conformance.fuzz import checks as _checks  # noqa: F401  (registers the REJ-023 / REJ-053 checks)
from conformance.fuzz.failures import failure_text
from conformance.fuzz.identifiers import register_identifier_format
from conformance.fuzz.observations import required_for
from conformance.fuzz.session import FuzzSession
from conformance.fuzz.settings import DEFAULT_EXAMPLES, FuzzOptions, running_in_ci
from conformance.fuzz.spec import path_patterns
from conformance.redaction import Redactor

MARKER = "fuzz: Schemathesis on the generated spec (REJ-060); select with -m fuzz, leave out with -m 'not fuzz'"
FUZZ_TEST_NAME = "test_fuzz"

_options: FuzzOptions | None = None
_summary: dict[str, object] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the fuzz stage's options."""
    group = parser.getgroup("conformance-fuzz", "CRUX conformance fuzz stage (Schemathesis)")
    group.addoption("--spec", metavar="FILE", help="the OpenAPI spec to fuzz from (default: specs/openapi.yaml)")
    group.addoption(
        "--fuzz-examples",
        metavar="N",
        type=int,
        default=DEFAULT_EXAMPLES,
        help=f"examples per operation in the fuzzing phase (default {DEFAULT_EXAMPLES})",
    )
    group.addoption("--seed", metavar="S", type=int, help="seed for reproducible generation")
    group.addoption(
        "--fuzz-siblings",
        action="store_true",
        help="also fuzz confirm, item reject and item confirm (they share the contract)",
    )


def options_from(config: pytest.Config) -> FuzzOptions:
    """The FuzzOptions of a pytest session (UsageError on bad values)."""
    spec = config.getoption("spec")
    return FuzzOptions(
        spec=Path(spec) if spec else None,
        examples=config.getoption("fuzz_examples"),
        seed=config.getoption("seed"),
        siblings=config.getoption("fuzz_siblings"),
        deterministic=running_in_ci(),
    )


def current_options() -> FuzzOptions:
    """The options of the running session (defaults outside one); read when the fuzz module is imported."""
    return _options if _options is not None else FuzzOptions(deterministic=running_in_ci())


def pytest_configure(config: pytest.Config) -> None:
    """Validate the options (exit 4 on bad ones), register the marker, the identifier strategy and checks."""
    global _options
    config.addinivalue_line("markers", MARKER)
    try:
        _options = options_from(config)
        if _options.spec is not None and not _options.spec.is_file():
            raise UsageError(f"--spec: no such file: {_options.spec}")
    except ConformanceError as error:
        raise pytest.UsageError(error.message) from None
    register_identifier_format()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget the session's options."""
    global _options
    _options = None
    _summary.clear()


def suite_run_config(config: pytest.Config) -> RunConfig:
    """The run's RunConfig as the suite's plugin sees it: the ``run`` command's preset, else the options."""
    from conformance.plugin import Preset

    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, Preset):
            return plugin.run_config
    path = config.getoption("conformance_config", default=None)
    overrides = {
        "base_url": config.getoption("base_url", default=None),
        "allow_production": config.getoption("allow_production", default=False),
    }
    try:
        return load_config(Path(path) if path else None, overrides)
    except ConformanceError as error:
        raise pytest.UsageError(error.message) from None


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Bind the supplier token before the fuzz module is collected: Schemathesis builds explicit examples then."""
    if isinstance(collector, pytest.Module) and collector.path.name == "test_fuzz.py":
        try:
            credentials = suite_run_config(collector.config).credentials
        except pytest.UsageError:
            return  # the suite's plugin reports a bad config with exit 4 once collection ends
        auth.bind_token(credentials.get("supplier"), retailer=credentials.get("retailer"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each operation's fuzz item its own node id (``test_fuzz[PATCH /timp/...]``).

    pytest 9.2 builds a node id from the function's original name, so every operation Schemathesis
    generates would share ``test_fuzz`` and the reports would fold them into one line.
    """
    for item in items:
        label = getattr(item, "operation_label", None)
        node_id = getattr(item, "_id", None)
        if label and _is_fuzz_item(item) and getattr(node_id, "params", "") is None and hasattr(node_id, "with_params"):
            item._id = node_id.with_params(label)  # type: ignore[attr-defined]


def _base_url(request: pytest.FixtureRequest, run_config: RunConfig) -> str:
    base_url = run_config.target.base_url or request.config.getoption("base_url", default=None)
    if not base_url:
        pytest.exit("no base URL for the fuzz stage: pass --base-url", returncode=4)
    return str(base_url).rstrip("/")


@pytest.fixture(scope="session")
def fuzz_session(request: pytest.FixtureRequest, run_config: RunConfig, client: object) -> Iterator[FuzzSession]:
    """The run's fuzz session: target, supplier token and provisioned orders bound for Schemathesis.

    Depends on the suite's ``client`` fixture so the preflight has run; orders come from its
    ``provisioner`` only when the target may change state.
    """
    provisioner = request.getfixturevalue("provisioner") if run_config.target.may_change_state else None
    session = FuzzSession(
        base_url=_base_url(request, run_config),
        credentials=dict(run_config.credentials.secrets),
        timeout=run_config.timeouts.as_tuple(),
        provisioner=provisioner,
        destructive=run_config.target.may_change_state,
        transport=run_config.target.transport,
    )
    try:
        options = current_options()
        session.start(options.examples, operations=len(path_patterns(options.siblings)))
    except ConformanceError as error:
        pytest.exit(error.message, returncode=int(error.exit_code))
    _summary["session"] = session
    yield session
    session.close()


def _is_fuzz_item(item: pytest.Item) -> bool:
    name = str(getattr(item, "originalname", "") or "")
    return name.startswith(FUZZ_TEST_NAME) and item.get_closest_marker("fuzz") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """After a fuzz item passed, fail it unless its operation answered the required status mix."""
    outcome = yield
    if getattr(item, "originalname", None) != FUZZ_TEST_NAME or not _is_fuzz_item(item):
        return outcome
    session = item.funcargs.get("fuzz_session") if hasattr(item, "funcargs") else None
    label = getattr(item, "operation_label", None)
    if not isinstance(session, FuzzSession) or label is None:
        return outcome
    required = required_for(label, session.destructive)
    missing = session.observed.missing(label, required)
    if missing:
        pytest.fail(
            f"REJ-060: the fuzz stage never reached {', '.join(missing)} on {label} "
            f"(observed: {session.observed.describe(label)}); it exercised routing, not the endpoint's logic",
            pytrace=False,
        )
    return outcome


def _rewrite_report(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """A fuzz failure's text: summary line first, our curl command, every secret masked."""
    session = item.funcargs.get("fuzz_session") if hasattr(item, "funcargs") else None
    if not isinstance(session, FuzzSession) or not report.failed:
        return
    redactor: Redactor = session.redactor
    text = failure_text(call.excinfo.value, getattr(item, "operation_label", None)) if call.excinfo else None
    report.longrepr = redactor.text(text if text is not None else report.longreprtext)
    report.sections = [(title, redactor.text(section)) for title, section in report.sections]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """Mask every configured secret in a fuzz item's failure text (Hypothesis and Schemathesis notes included)."""
    report = yield
    if _is_fuzz_item(item) and isinstance(report, pytest.TestReport):
        _rewrite_report(item, call, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(node: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """Mask secrets again after Schemathesis re-renders a failure's text for the terminal summary."""
    if isinstance(node, pytest.Item) and _is_fuzz_item(node):
        _rewrite_report(node, call, report)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the time the fuzz items took (setup included: it provisions the orders)."""
    if report.nodeid.rsplit("::", 1)[-1].startswith(FUZZ_TEST_NAME):
        _summary["seconds"] = float(_summary.get("seconds", 0.0)) + report.duration  # type: ignore[arg-type]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the status mix each fuzzed operation answered and the fuzz stage's own time."""
    session = _summary.get("session")
    if not isinstance(session, FuzzSession):
        return
    terminalreporter.section("fuzz stage (REJ-060)")
    for label in session.observed.labels():
        terminalreporter.write_line(f"{label}: {session.observed.describe(label)}")
    pending = session.pool.pending_made if session.pool is not None else 0
    seconds = float(_summary.get("seconds", 0.0))  # type: ignore[arg-type]
    options = current_options()
    if options.seed is not None:
        seed = f"seed {options.seed}"
    else:
        seed = "derandomized" if options.deterministic else "random seed"
    terminalreporter.write_line(
        f"{options.examples} examples per operation, {seed}, {pending} pending orders provisioned, {seconds:.2f}s"
    )
