"""The pytest plugin of the fuzz stage (REJ-060): options, the ``fuzz`` marker, the stage's state, the status mix.

Loaded by ``conformance.plugin``. Options: ``--spec FILE``, ``--fuzz-examples N``, ``--seed S``,
``--fuzz-siblings``. The stage's state lives on one ``FuzzStage`` object in ``config.stash``: its options,
the spec (loaded once per session, when the fuzz checks are collected, not when a module is imported),
the running ``FuzzSession`` and the time its items took. ``conformance.checks.test_fuzz`` declares
``test_fuzz``; at collection this plugin binds it to the session's schema (one item per operation) and,
after each item, fails it unless its operation answered the required status mix (2xx, 404 and 422); a class
generation missed first gets plain cases of its own (``top_up``), so the generator's luck is never a verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from schemathesis.schemas import BaseSchema

from conformance.ci import running_in_ci
from conformance.config import RunConfig
from conformance.errors import ConformanceError, UsageError
from conformance.fuzz import checks as _checks  # noqa: F401  (registers the REJ-023 / REJ-053 checks)
from conformance.fuzz.auth import install_auth
from conformance.fuzz.binding import FuzzBinding, bind
from conformance.fuzz.failures import failure_text
from conformance.fuzz.hypothesis_storage import use_user_cache_for_hypothesis
from conformance.fuzz.identifiers import register_identifier_format
from conformance.fuzz.node_ids import give_each_operation_its_node_id
from conformance.fuzz.observations import required_for
from conformance.fuzz.session import FuzzSession
from conformance.fuzz.settings import DEFAULT_EXAMPLES, FuzzOptions
from conformance.fuzz.spec import load_spec, path_patterns, select_operations
from conformance.fuzz.top_up import top_up
from conformance.plugin.options import run_config_from_pytest
from conformance.plugin.session import run_session
from conformance.redaction import Redactor

MARKER = "fuzz: Schemathesis on the generated spec (REJ-060); select with -m fuzz, leave out with -m 'not fuzz'"
FUZZ_TEST_NAME = "test_fuzz"
#: The attribute ``fuzz_declaration`` puts on ``test_fuzz`` and the one a bound copy carries.
DECLARED = "_conformance_fuzz_declaration"
BOUND = "_conformance_fuzz_bound"


def fuzz_declaration(function: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``function`` as the fuzz test: the stage binds it to the session's schema at collection."""
    setattr(function, DECLARED, True)
    return function


@dataclass
class FuzzStage:
    """The fuzz stage's state for one pytest session."""

    options: FuzzOptions
    session: FuzzSession | None = None
    seconds: float = 0.0
    _schemas: dict[bool, BaseSchema] = field(default_factory=dict, repr=False)
    _spec: BaseSchema | None = field(default=None, repr=False)

    def schema(self, *, stateful: bool = False) -> BaseSchema:
        """The operations to fuzz (``stateful``: with the retailer's cancel order), from the spec loaded once."""
        if stateful not in self._schemas:
            if self._spec is None:
                self._spec = load_spec(self.options)
            selected = select_operations(self._spec, siblings=self.options.siblings, stateful=stateful)
            self._schemas[stateful] = install_auth(selected)
        return self._schemas[stateful]


STAGE = pytest.StashKey[FuzzStage]()


def fuzz_stage(config: pytest.Config) -> FuzzStage:
    """The session's fuzz stage."""
    return config.stash[STAGE]


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


def pytest_configure(config: pytest.Config) -> None:
    """Validate the options (exit 4 on bad ones), register the marker, the stage and the identifier strategy."""
    config.addinivalue_line("markers", MARKER)
    use_user_cache_for_hypothesis()  # Unicode tables built once per machine, not once per run
    try:
        options = options_from(config)
        if options.spec is not None and not options.spec.is_file():
            raise UsageError(f"--spec: no such file: {options.spec}")
    except ConformanceError as error:
        raise pytest.UsageError(error.message) from None
    config.stash[STAGE] = FuzzStage(options)
    register_identifier_format()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> Generator[None, Any, Any]:
    """Bind the declared ``test_fuzz`` to the session's schema: Schemathesis then makes one item per operation.

    A spec that cannot be loaded is a usage error (exit 4), reported once, at collection.
    """
    result = yield
    if not getattr(obj, DECLARED, False) or getattr(obj, BOUND, False):
        return result
    bind_tokens_for_collection(collector.config)
    try:
        bound = fuzz_stage(collector.config).schema().parametrize()(obj)
    except ConformanceError as error:
        raise pytest.UsageError(error.message) from None
    setattr(bound, BOUND, True)
    return collector.ihook.pytest_pycollect_makeitem(collector=collector, name=name, obj=bound)


def bind_tokens_for_collection(config: pytest.Config) -> None:
    """Bind the run's tokens before ``test_fuzz`` is parametrized: Schemathesis builds explicit examples then."""
    try:
        credentials = run_config_from_pytest(config).credentials
    except pytest.UsageError:
        return  # the suite's plugin reports a bad config with exit 4 once collection ends
    bind(FuzzBinding(tokens={role: credentials.get(role) for role in ("supplier", "retailer")}))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each operation's fuzz item its own node id (``test_fuzz[PATCH /timp/...]``)."""
    give_each_operation_its_node_id([item for item in items if is_fuzz_item(item)])


def _base_url(request: pytest.FixtureRequest, run_config: RunConfig) -> str:
    base_url = run_config.target.base_url or request.config.getoption("base_url", default=None)
    if not base_url:
        pytest.exit("no base URL for the fuzz stage: pass --base-url", returncode=4)
    return str(base_url).rstrip("/")


@pytest.fixture(scope="session")
def fuzz_stage_options(request: pytest.FixtureRequest) -> FuzzOptions:
    """The fuzz stage's options (``--fuzz-examples``, ``--seed``, ...)."""
    return fuzz_stage(request.config).options


@pytest.fixture(scope="session")
def fuzz_schema(request: pytest.FixtureRequest) -> Callable[..., BaseSchema]:
    """``fuzz_schema(stateful=False)``: the session's schema of the operations to fuzz."""
    return fuzz_stage(request.config).schema


@pytest.fixture(scope="session")
def fuzz_session(request: pytest.FixtureRequest, run_config: RunConfig, client: object) -> Iterator[FuzzSession]:
    """The run's fuzz session: target, tokens and provisioned orders bound for Schemathesis.

    Depends on the suite's ``client`` fixture so the preflight has run; orders come from its
    ``provisioner`` only when the target may change state.
    """
    stage = fuzz_stage(request.config)
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
        session.start(stage.options.examples, operations=len(path_patterns(stage.options.siblings)))
    except ConformanceError as error:
        pytest.exit(error.message, returncode=int(error.exit_code))
    stage.session = session
    try:
        yield session
    finally:
        run_session(request.config).fuzz_status_mix.update(session.observed.as_dict())
        session.close()


def is_fuzz_item(item: pytest.Item) -> bool:
    """True for an item of ``test_fuzz`` (one per fuzzed operation) or ``test_fuzz_stateful``."""
    name = str(getattr(item, "originalname", "") or "")
    return name.startswith(FUZZ_TEST_NAME) and item.get_closest_marker("fuzz") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """After a fuzz item passed, fail it unless its operation answered the required status mix."""
    outcome = yield
    if getattr(item, "originalname", None) != FUZZ_TEST_NAME or not is_fuzz_item(item):
        return outcome
    session = item.funcargs.get("fuzz_session") if hasattr(item, "funcargs") else None
    label = getattr(item, "operation_label", None)
    if not isinstance(session, FuzzSession) or label is None:
        return outcome
    required = required_for(label, session.destructive)
    if session.observed.missing(label, required):
        added = top_up(session, fuzz_stage(item.config).schema(), label, required)
        if added:
            item.user_properties.append(("fuzz_top_up", "; ".join(added)))
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
    if is_fuzz_item(item) and isinstance(report, pytest.TestReport):
        fuzz_stage(item.config).seconds += report.duration  # setup included: it provisions the orders
        _rewrite_report(item, call, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(node: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """Mask secrets again after Schemathesis re-renders a failure's text for the terminal summary."""
    if isinstance(node, pytest.Item) and is_fuzz_item(node):
        _rewrite_report(node, call, report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the status mix each fuzzed operation answered and the fuzz stage's own time."""
    stage = config.stash.get(STAGE, None)
    session = stage.session if stage is not None else None
    if session is None or stage is None:
        return
    terminalreporter.section("fuzz stage (REJ-060)")
    for label in session.observed.labels():
        terminalreporter.write_line(f"{label}: {session.observed.describe(label)}")
    pending = session.pool.pending_made if session.pool is not None else 0
    options = stage.options
    if options.seed is not None:
        seed = f"seed {options.seed}"
    else:
        seed = "derandomized" if options.deterministic else "random seed"
    terminalreporter.write_line(
        f"{options.examples} examples per operation, {seed}, {pending} pending orders provisioned, {stage.seconds:.2f}s"
    )
