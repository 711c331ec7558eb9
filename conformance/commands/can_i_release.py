"""The `crux-conformance can-i-release` command: may version V of the target go to an environment?

Yes (exit 0) when V's latest recorded run is CONFORMANT with the current suite, model and spec, and no
requirement regressed against the version last recorded as released there; otherwise no (exit 1) with
one reason per line. Bad input exits 4; an unreachable history exits 2.
"""

from __future__ import annotations

import argparse

from conformance.errors import ExitCode
from conformance.history.digests import current_spec_sha256, model_sha256, suite_sha256
from conformance.history.release_gate import CurrentSuite, decide
from conformance.history.store import open_history

NAME = "can-i-release"
HELP = "may version V go to an environment? yes (exit 0) or no (exit 1) with the reasons"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--history", metavar="URL", required=True, help="the history: SQLite file or postgresql:// URL")
    parser.add_argument("--target-version", metavar="V", required=True, help="the version to release")
    parser.add_argument("--to", metavar="ENV", default="production", help="the environment (default: production)")
    parser.add_argument("--target", metavar="BASE_URL", help="the target (needed when V was recorded for several)")


def execute(args: argparse.Namespace) -> int:
    """Print yes or no with the reasons; return 0 for yes, 1 for no."""
    current = CurrentSuite(suite_sha256(), model_sha256(), current_spec_sha256())
    with open_history(args.history) as store:
        decision = decide(store, args.target_version, args.to, current, target=args.target)
    for note in decision.notes:
        print(f"note: {note}")
    if decision.allowed:
        print(f"yes: {args.target_version} may go to {args.to}")
        return int(ExitCode.CONFORMANT)
    print(f"no: {args.target_version} may not go to {args.to}")
    for reason in decision.reasons:
        print(f"- {reason}")
    return int(ExitCode.NOT_CONFORMANT)
