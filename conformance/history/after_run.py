"""What ``crux-conformance run`` does after its reports are written: digests, signature, history, step summary.

``add_run_arguments`` declares ``--history``, ``--target-version``, ``--environment``, ``--sign-key`` and
``--signer``; ``check_run_arguments`` refuses inconsistent ones before the run starts (exit 4, one line);
``record_and_sign`` then, once the report folder is complete:

1. adds to ``certificate.json`` the sha256 of ``results.json`` and ``exchanges.jsonl`` (``reports``), the
   suite and model digests, and the target version and environment when given;
2. signs it with ``--sign-key`` (the signature goes inside, under ``signature``; see ``conformance.signing``)
   and renders ``certificate.html`` again, so the page shows who signed;
3. records the run in the ``--history`` database (only a judged run: exit 0 or 1);
4. appends the run's Markdown summary to ``GITHUB_STEP_SUMMARY`` when GitHub Actions sets it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from conformance import signing
from conformance.errors import ExitCode, UsageError
from conformance.history.certificates import report_digests, requirement_outcomes
from conformance.history.digests import model_sha256, suite_sha256
from conformance.history.locations import parse_history
from conformance.history.records import RunRecord
from conformance.history.step_summary import append_step_summary, run_summary_markdown
from conformance.history.store import now_iso, open_history
from conformance.reporting.certificate import sha256_of_file
from conformance.reporting.run_files import write_certificate

JUDGED = (ExitCode.CONFORMANT, ExitCode.NOT_CONFORMANT)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare run's history and signing options."""
    parser.add_argument(
        "--history", metavar="URL",
        help="record the run in this history: a SQLite file (history.sqlite3) or a postgresql:// URL",
    )  # fmt: skip
    parser.add_argument("--target-version", metavar="V", help="the target's version this run judges (with --history)")
    parser.add_argument("--environment", metavar="E", help="the environment the target runs in, e.g. staging")
    parser.add_argument("--sign-key", metavar="FILE", type=Path, help="sign certificate.json with this Ed25519 key")
    parser.add_argument("--signer", metavar="NAME", help="who signs, shown on the certificate (default: key file name)")


def check_run_arguments(args: argparse.Namespace) -> None:
    """Refuse inconsistent options before anything runs: exit 4 (UsageError), or 2 for an unreachable history."""
    history = getattr(args, "history", None)
    if history is not None:
        parse_history(history)
        if not (getattr(args, "target_version", None) or "").strip():
            raise UsageError("--history needs --target-version V (the version of the target this run judges)")
        with open_history(history):  # reachable and migrated now, not after a run of minutes
            pass
    elif getattr(args, "target_version", None) is not None or getattr(args, "environment", None) is not None:
        raise UsageError("--target-version and --environment are recorded in a history: give --history too")
    sign_key = getattr(args, "sign_key", None)
    if sign_key is not None:
        signing.load_private_key(sign_key)
    elif getattr(args, "signer", None) is not None:
        raise UsageError("--signer names who signs: give --sign-key too")


def record_and_sign(args: argparse.Namespace, report_dir: Path, exit_code: int) -> None:
    """Complete the certificate in ``report_dir`` (digests, signature), record the run, write the step summary."""
    certificate_file = Path(report_dir) / "certificate.json"
    if not certificate_file.is_file():
        return
    certificate = json.loads(certificate_file.read_text(encoding="utf-8"))
    covers = dict(certificate.get("covers") or {})
    covers.update({"suite_sha256": suite_sha256(), "model_sha256": model_sha256()})
    if getattr(args, "target_version", None):
        covers["target_version"] = args.target_version
    if getattr(args, "environment", None):
        covers["environment"] = args.environment
    certificate["covers"] = covers
    certificate["reports"] = report_digests(report_dir)
    sign_key = getattr(args, "sign_key", None)
    if sign_key is not None:
        signer = getattr(args, "signer", None) or Path(sign_key).name
        certificate = signing.sign(certificate, signing.load_private_key(sign_key), signer)
    write_certificate(Path(report_dir), certificate)
    recorded = None
    if getattr(args, "history", None):
        if exit_code in JUDGED:
            recorded = record_run(args.history, certificate, certificate_file, exit_code)
        else:
            recorded = f"not recorded in the history: the run could not be judged (exit {exit_code})"
        print(f"crux-conformance: {recorded}", flush=True)
    append_step_summary(run_summary_markdown(certificate, recorded=recorded))


def record_run(history: str, certificate: dict[str, object], certificate_file: Path, exit_code: int) -> str:
    """Store the run the certificate describes in ``history``; return one line saying so."""
    covers = certificate.get("covers")
    assert isinstance(covers, dict)
    spec = covers.get("spec") if isinstance(covers.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    record = RunRecord(
        target=str(covers.get("target")),
        target_version=str(covers.get("target_version")),
        environment=covers.get("environment"),  # type: ignore[arg-type]
        verdict=str(certificate.get("verdict")),
        exit_code=int(exit_code),
        suite_version=str(covers.get("suite_version")),
        suite_sha256=covers.get("suite_sha256"),  # type: ignore[arg-type]
        spec_sha256=spec.get("sha256"),
        model_sha256=covers.get("model_sha256"),  # type: ignore[arg-type]
        certificate_sha256=sha256_of_file(certificate_file),
        issued_at=covers.get("issued_at"),  # type: ignore[arg-type]
        recorded_at=now_iso(),
        requirements=requirement_outcomes(certificate),
    )
    with open_history(history) as store:
        run_id = store.record_run(record)
        where = store.location.display
    return f"recorded run #{run_id} of {record.target_version} in {where}"
