"""The `crux-conformance run` command: preflight a target, run every check with pytest, write the reports.

With neither ``--base-url`` nor ``--config`` it starts the bundled reference implementation (with
provider states) on a free port, runs against it and stops it. Exit codes are the contract's: 0
conformant, 1 not conformant, 2 could not judge, 4 usage or configuration error.

``--max-rps`` and ``--max-requests`` cap the run's traffic (``conformance.ratelimit``); a run that uses
up its budget stops with exit 2 and one line. ``traffic.json`` in the report folder counts the requests
sent and the 429 answers waited out; in provisioning mode ``api``, ``orders.json`` lists the orders the
run created (``po_number``, ``order_uuid``, state) so they can be cleaned up.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

import conformance
from conformance import ratelimit
from conformance.client import Client
from conformance.config import RunConfig, Timeouts, load_config, parse_config
from conformance.errors import ExitCode, TargetError, UsageError
from conformance.fuzz.spec import default_spec_path
from conformance.history.after_run import add_run_arguments, check_run_arguments, record_and_sign
from conformance.interrupts import Interruption, interrupts_recorded
from conformance.plugin import RunResult, RunSession
from conformance.preload import preload_run_stack
from conformance.probes import preflight
from conformance.provisioning import preflight_provisioner, provisioner_for_run
from conformance.redaction import Redactor
from conformance.report_folder import probe_report_dir
from conformance.reporting import run_files
from conformance.reporting.run_reports import RunFacts, certificate_for, html_extras, verdict_line
from conformance.reporting.verdicts import Overall
from conformance.results import exit_code_for

NAME = "run"
HELP = "run the conformance checks against a target (default: the bundled reference implementation)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options; anything after ``--`` goes to pytest."""
    parser.add_argument("--base-url", metavar="URL", help="the target's base URL (overrides [target] base_url)")
    parser.add_argument("--config", metavar="FILE", type=Path, help="the TOML run configuration")
    parser.add_argument(
        "--report-dir", metavar="DIR", type=Path, default=Path("reports"), help="where reports go (default: reports/)"
    )
    parser.add_argument(
        "--allow-production", action="store_true", help="run destructive checks even on a production target"
    )
    parser.add_argument(
        "--max-rps", metavar="N", type=float,
        help="at most N requests per second across all checks, threads and the fuzz stage ([target] max_rps)",
    )  # fmt: skip
    parser.add_argument(
        "--max-requests", metavar="N", type=int,
        help="stop the run (exit 2) rather than send more than N requests ([target] max_requests)",
    )  # fmt: skip
    parser.add_argument(
        "--connect-timeout", metavar="SECONDS", type=float,
        help="seconds to wait for a connection, per request ([timeouts] connect; default 3.05)",
    )  # fmt: skip
    parser.add_argument(
        "--read-timeout", metavar="SECONDS", type=float,
        help="seconds to wait for an answer, per request ([timeouts] read; default 10); a slow target needs more",
    )  # fmt: skip
    parser.add_argument(
        "-q", "--quiet", action="store_true",
        help="no progress line while the checks run (the summary and the last line stay)",
    )  # fmt: skip
    parser.add_argument(
        "--certify",
        action="store_true",
        help="a certification run: a requirement left not verified (INCOMPLETE) fails the run with exit 1",
    )
    add_run_arguments(parser)  # --history, --target-version, --environment, --sign-key, --signer
    parser.epilog = "Arguments after -- go to pytest, e.g. -- -m smoke, -- -k rej_030, -- -m 'not fuzz', -- -n 2."


def execute(args: argparse.Namespace) -> int:
    """Run the command; then complete the certificate, record the run in --history and sign it (``after_run``)."""
    check_run_arguments(args)
    code = _execute(args)
    record_and_sign(args, args.report_dir, code)
    return code


def _execute(args: argparse.Namespace) -> int:
    """Run the checks; return the contract's exit code."""
    overrides = {
        "base_url": args.base_url,
        "allow_production": args.allow_production,
        "max_rps": getattr(args, "max_rps", None),
        "max_requests": getattr(args, "max_requests", None),
        "connect_timeout": getattr(args, "connect_timeout", None),
        "read_timeout": getattr(args, "read_timeout", None),
    }
    passthrough = list(getattr(args, "passthrough", []) or [])
    if args.base_url is None and args.config is None:
        with _bundled_reference() as toml_text, tempfile.TemporaryDirectory(prefix="crux-reference-") as folder:
            run_config = parse_config(toml_text, "bundled reference", overrides)
            config_file = Path(folder) / "reference.toml"  # for xdist workers (-- -n N); gone after the run
            config_file.touch(mode=0o600)
            config_file.write_text(toml_text, encoding="utf-8")
            return run_checks(
                run_config, args.report_dir, passthrough, config_file, certify=args.certify, quiet=args.quiet
            )
    run_config = load_config(args.config, overrides)
    return run_checks(run_config, args.report_dir, passthrough, args.config, certify=args.certify, quiet=args.quiet)


@contextmanager
def _bundled_reference() -> Iterator[str]:
    try:
        from conformance.reference.process import start_reference_process
    except ImportError as error:  # pragma: no cover - the reference ships with the package
        raise TargetError(f"the bundled reference implementation is not available ({error})") from None
    print("crux-conformance: no --base-url or --config: starting the bundled reference implementation", flush=True)
    # In its own process, so the server and the checks use two cores; this one imports the run's stack meanwhile.
    with start_reference_process(provider_states=True, while_starting=preload_run_stack) as reference:
        yield reference.config_toml


def run_checks(
    run_config: RunConfig,
    report_dir: Path,
    passthrough: Sequence[str] = (),
    config_file: Path | None = None,
    *,
    certify: bool = False,
    quiet: bool = False,
) -> int:
    """Preflight the target, run the checks in-process, write results/certificate; return the exit code.

    ``config_file`` (the file ``run_config`` came from) is handed to pytest too, so that xdist workers
    (``-- -n N``), which do not share this process, build the same configuration. With ``certify``
    an INCOMPLETE run (a requirement not verified) exits 1: a certification run may not skip anything.
    """
    run_config.require_runnable()
    probe_report_dir(report_dir)  # before any request: a run that cannot write its reports is exit 4 now
    ratelimit.configure(run_config.max_rps, run_config.max_requests, burst=run_config.concurrency)
    try:
        with interrupts_recorded() as interruption:  # SIGINT/SIGTERM: reports still written, marked interrupted
            return _run_checks(
                run_config, report_dir, passthrough, config_file, interruption, certify=certify, quiet=quiet
            )
    finally:
        ratelimit.reset()  # the limits belong to this run only


def _run_checks(
    run_config: RunConfig,
    report_dir: Path,
    passthrough: Sequence[str],
    config_file: Path | None,
    interruption: Interruption,
    *,
    certify: bool,
    quiet: bool,
) -> int:
    insecure = run_config.target.transport.insecure_warning()
    if insecure:
        print(f"crux-conformance: {insecure}", file=sys.stderr, flush=True)
    client = Client.from_config(run_config)
    provisioner = provisioner_for_run(run_config)
    preflight(client, preflight_provisioner(run_config, provisioner))
    report_dir = _report_dir(report_dir)
    session = RunSession(run_config, preflight_done=True)
    facts = RunFacts(
        run_config=run_config,
        config_source=str(config_file) if config_file is not None else "command line",
        spec_path=_spec_path(passthrough),
        seed=_passthrough_value(passthrough, "--seed") or "none: derandomized under CI, random otherwise",
        certify=certify,
    )
    plugins: list[object] = [
        session,
        html_extras(facts, lambda: session.result().tests, lambda: session.result().latency),
    ]
    with tempfile.TemporaryDirectory(prefix="crux-conformance-") as scratch:
        arguments = pytest_arguments(run_config, report_dir, Path(scratch), passthrough, config_file)
        arguments[:0] = ["--conformance-progress", "off" if quiet else "auto"]
        status = pytest.main(arguments, plugins=plugins)
    result = session.result()
    code = exit_code_for(int(status))
    stop_reason = result.stop_reason or (interruption.reason() if interruption else None)
    if stop_reason is None and code == ExitCode.CANNOT_JUDGE:
        stop_reason = result.budget_exceeded or "the run stopped before every check had run"
    overall, verdict = verdict_line(result.tests, stopped=stop_reason)
    if certify and code == ExitCode.CONFORMANT and overall is not Overall.CONFORMANT:
        code = ExitCode.NOT_CONFORMANT
        verdict += " — a certification run may not leave a requirement unverified"
    write_run_files(report_dir, run_config, facts, result, code, stop_reason, getattr(provisioner, "created", []))
    if stop_reason:
        print(f"crux-conformance: could not judge: {stop_reason}; exit {int(code)}", file=sys.stderr, flush=True)
    elif status == pytest.ExitCode.USAGE_ERROR:
        print("crux-conformance: error: pytest refused the arguments after -- (see above); exit 4", file=sys.stderr)
    elif status == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("crux-conformance: error: no check matched the selection after --; exit 4", file=sys.stderr)
    else:
        print(f"crux-conformance: {verdict}; exit {int(code)}; reports in {report_dir}/", flush=True)
    return int(code)


def write_run_files(
    report_dir: Path,
    run_config: RunConfig,
    facts: RunFacts,
    result: RunResult,
    code: int,
    stopped: str | None = None,
    preflight_orders: Sequence[dict[str, str]] = (),
) -> None:
    """Write every run file through the one writer, then mask any secret that reached a report."""
    run_files.write_results(
        report_dir / "results.json", target=run_config.target.base_url, exit_code=code, tests=result.tests,
        latency=result.latency, fuzz_status_mix=result.fuzz_status_mix,
    )  # fmt: skip
    run_files.write_exchanges(report_dir / "exchanges.jsonl", result.recorder)
    run_files.write_certificate(report_dir, certificate_for(facts, result.tests, stopped=stopped))
    run_files.write_traffic(report_dir / "traffic.json", result.traffic)
    run_files.write_orders(report_dir / "orders.json", [*preflight_orders, *result.created_orders])
    run_files.mask_secrets(report_dir, Redactor(run_config.secrets))


def pytest_arguments(
    run_config: RunConfig,
    report_dir: Path,
    scratch: Path,
    passthrough: Sequence[str] = (),
    config_file: Path | None = None,
) -> list[str]:
    """The pytest command line of a run, isolated from the caller's cwd (no conftest, ini or cache)."""
    ini = scratch / "pytest.ini"
    ini.write_text("[pytest]\njunit_family = xunit1\n", encoding="utf-8")  # xunit1 keeps requirement properties
    package_root = Path(conformance.__file__).resolve().parent.parent
    arguments = ["-p", "conformance.plugin"]  # which loads the fuzz stage's plugin itself (pytest_plugins)
    if config_file is not None:
        arguments += ["--conformance-config", str(Path(config_file).resolve())]
    if run_config.target.allow_production:
        arguments.append("--allow-production")
    if run_config.max_rps is not None:  # xdist workers read the file: hand them the command line's limits
        arguments += ["--conformance-max-rps", str(run_config.max_rps)]
    defaults = Timeouts()
    if run_config.timeouts.connect != defaults.connect:  # xdist workers read the file: hand them the flags' values
        arguments += ["--conformance-connect-timeout", str(run_config.timeouts.connect)]
    if run_config.timeouts.read != defaults.read:
        arguments += ["--conformance-read-timeout", str(run_config.timeouts.read)]
    if run_config.max_requests is not None:  # what the preflight left of the budget
        left = max(1, run_config.max_requests - ratelimit.limiter().sent)
        arguments += ["--conformance-max-requests", str(left)]
    arguments += [
        "-c", str(ini), "--rootdir", str(package_root), "--noconftest", "-p", "no:cacheprovider",
        "-o", "python_files=test_*.py", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-q", "-rfEs", "--tb=short",
        # The checks fail with messages, never bare asserts: rewriting ~300 plugin modules per run bought nothing;
        # the unraisable-exception hook's forced garbage collections at exit cost ~0.3 s and judge nothing.
        "--assert=plain", "-p", "no:unraisableexception",
        "--base-url", str(run_config.target.base_url),
        "--junitxml", str(report_dir / "junit.xml"),
        "--html", str(report_dir / "report.html"), "--self-contained-html",
        "--pyargs", "conformance.checks",
    ]  # fmt: skip
    return arguments + list(passthrough)


def _report_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--report-dir {path}: cannot create it ({error.strerror})") from None
    return path


def _passthrough_value(passthrough: Sequence[str], option: str) -> str | None:
    """The value given to ``option`` after ``--`` (``--opt V`` or ``--opt=V``), if any."""
    arguments = list(passthrough)
    for index, argument in enumerate(arguments):
        if argument == option and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith(option + "="):
            return argument.split("=", 1)[1]
    return None


def _spec_path(passthrough: Sequence[str]) -> Path | None:
    explicit = _passthrough_value(passthrough, "--spec")
    return Path(explicit) if explicit else default_spec_path()
