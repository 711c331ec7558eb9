"""The `crux-conformance run` command: preflight a target, run every check with pytest, write the reports.

With neither ``--base-url`` nor ``--config`` it starts the bundled reference implementation (with
provider states) on a free port, runs against it and stops it. Exit codes are the contract's: 0
conformant, 1 not conformant, 2 could not judge, 4 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import pytest

import conformance
from conformance.client import Client
from conformance.config import RunConfig, load_config, parse_config
from conformance.errors import TargetError, UsageError
from conformance.plugin import FUZZ_PLUGIN, Preset, write_exchange_log
from conformance.probes import preflight
from conformance.provisioning import StateUrlProvisioner, make_provisioner
from conformance.redaction import Redactor
from conformance.results import exit_code_for, write_results

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
    parser.epilog = "Arguments after -- go to pytest, e.g. -- -m smoke, -- -k rej_030, -- -m 'not fuzz', -- -n 2."


def execute(args: argparse.Namespace) -> int:
    """Run the command; return the contract's exit code."""
    overrides = {"base_url": args.base_url, "allow_production": args.allow_production}
    passthrough = list(getattr(args, "passthrough", []) or [])
    if args.base_url is None and args.config is None:
        with _bundled_reference() as toml_text, tempfile.TemporaryDirectory(prefix="crux-reference-") as folder:
            run_config = parse_config(toml_text, "bundled reference", overrides)
            config_file = Path(folder) / "reference.toml"  # for xdist workers (-- -n N); gone after the run
            config_file.touch(mode=0o600)
            config_file.write_text(toml_text, encoding="utf-8")
            return run_checks(run_config, args.report_dir, passthrough, config_file)
    return run_checks(load_config(args.config, overrides), args.report_dir, passthrough, args.config)


@contextmanager
def _bundled_reference() -> Iterator[str]:
    try:
        from conformance.reference import start_reference
    except ImportError as error:  # pragma: no cover - the reference ships with the package
        raise TargetError(f"the bundled reference implementation is not available ({error})") from None
    print("crux-conformance: no --base-url or --config: starting the bundled reference implementation", flush=True)
    with start_reference(provider_states=True) as reference:
        yield reference.config_toml()


def run_checks(
    run_config: RunConfig, report_dir: Path, passthrough: Sequence[str] = (), config_file: Path | None = None
) -> int:
    """Preflight the target, run the checks in-process, write results/certificate; return the exit code.

    ``config_file`` (the file ``run_config`` came from) is handed to pytest too, so that xdist workers
    (``-- -n N``), which do not share this process, build the same configuration.
    """
    run_config.require_runnable()
    client = Client.from_config(run_config)
    provisioner = make_provisioner(run_config)
    preflight(client, provisioner.order if isinstance(provisioner, StateUrlProvisioner) else None)
    report_dir = _report_dir(report_dir)
    preset = Preset(run_config, preflight_done=True)
    plugins: list[object] = [preset]
    extras = _html_extras(run_config, preset)
    if extras is not None:
        plugins.append(extras)
    with tempfile.TemporaryDirectory(prefix="crux-conformance-") as scratch:
        arguments = pytest_arguments(run_config, report_dir, Path(scratch), passthrough, config_file)
        status = pytest.main(arguments, plugins=plugins)
    code = exit_code_for(int(status))
    write_results(
        report_dir / "results.json",
        target=run_config.target.base_url,
        exit_code=code,
        tests=preset.tests(),
        latency=preset.latency(),
    )
    if preset.state is not None:
        write_exchange_log(report_dir / "exchanges.jsonl", preset.state.recorder)
    _write_certificate(run_config, report_dir, preset, passthrough)
    if status == pytest.ExitCode.USAGE_ERROR:
        print("crux-conformance: error: pytest refused the arguments after -- (see above); exit 4", file=sys.stderr)
    elif status == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("crux-conformance: error: no check matched the selection after --; exit 4", file=sys.stderr)
    else:
        print(f"crux-conformance: {_verdict_line(preset)}; exit {int(code)}; reports in {report_dir}/", flush=True)
    return int(code)


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
    arguments = ["-p", "conformance.plugin"]
    if importlib.util.find_spec(FUZZ_PLUGIN) is not None:
        arguments += ["-p", FUZZ_PLUGIN]
    if config_file is not None:
        arguments += ["--conformance-config", str(Path(config_file).resolve())]
    if run_config.target.allow_production:
        arguments.append("--allow-production")
    arguments += [
        "-c", str(ini), "--rootdir", str(package_root), "--noconftest", "-p", "no:cacheprovider",
        "-o", "python_files=test_*.py", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-q", "-rfEs", "--tb=short",
        "--base-url", str(run_config.target.base_url),
        "--junitxml", str(report_dir / "junit.xml"),
        "--html", str(report_dir / "report.html"), "--self-contained-html",
        "--pyargs", "conformance.checks",
    ]  # fmt: skip
    return arguments + list(passthrough)


def _verdict_line(preset: Preset) -> str:
    """The overall verdict (CONFORMANT / NOT CONFORMANT / INCOMPLETE) and what kept it from conformant."""
    from conformance.reporting.verdicts import Verdict, overall_verdict, requirement_verdicts

    verdicts = requirement_verdicts(asdict(test) for test in preset.tests())
    failed = [item.requirement.id for item in verdicts if item.verdict is Verdict.FAIL]
    unverified = [item.requirement.id for item in verdicts if item.verdict is Verdict.NOT_VERIFIED]
    line = str(overall_verdict(verdicts))
    if failed:
        line += f" (failed: {', '.join(failed)})"
    if unverified:
        line += f" ({len(unverified)} requirement(s) not verified)"
    return line


def _report_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--report-dir {path}: cannot create it ({error.strerror})") from None
    return path


def public_config(run_config: RunConfig) -> dict[str, object]:
    """The run configuration without any secret (roles are listed, their values never)."""
    return {
        "target": asdict(run_config.target),
        "credentials": sorted(run_config.credentials.secrets),
        "provisioning": {"mode": run_config.provisioning.mode},
        "timeouts": asdict(run_config.timeouts),
        "concurrency": run_config.concurrency,
        "max_p95_ms": run_config.max_p95_ms,
    }


def _html_extras(run_config: RunConfig, preset: Preset) -> object | None:
    try:
        from conformance.reporting.html_report import HtmlReportExtras
    except ImportError:
        return None
    metadata = {"Target": run_config.target.base_url, "Suite version": conformance.__version__}
    tests = lambda: [asdict(test) for test in preset.tests()]  # noqa: E731
    return HtmlReportExtras(metadata, tests, preset.latency)


def _write_certificate(run_config: RunConfig, report_dir: Path, preset: Preset, passthrough: Sequence[str]) -> None:
    try:
        from conformance.reporting.certificate import build_certificate, write_certificate
    except ImportError:
        return
    spec_path = _spec_path(passthrough)
    certificate = build_certificate(
        [asdict(test) for test in preset.tests()],
        target=str(run_config.target.base_url),
        spec_path=spec_path,
        public_config=public_config(run_config),
    )
    write_certificate(report_dir, certificate)
    _check_no_secret(report_dir, Redactor(run_config.secrets))


def _spec_path(passthrough: Sequence[str]) -> Path | None:
    arguments = list(passthrough)
    if "--spec" in arguments[:-1]:
        return Path(arguments[arguments.index("--spec") + 1])
    try:
        from conformance.fuzz.spec import default_spec_path
    except ImportError:
        return None
    return default_spec_path()


def _check_no_secret(report_dir: Path, redactor: Redactor) -> None:
    """Mask any secret that reached a report anyway (belt and braces: reports are shared widely)."""
    for path in report_dir.glob("*"):
        if path.suffix in (".html", ".xml", ".json", ".jsonl") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            masked = redactor.text(text)
            if masked != text:
                path.write_text(masked, encoding="utf-8")


