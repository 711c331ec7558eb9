"""The `crux-conformance record-release` command: mark version V as released to an environment.

The release points at V's latest recorded run, which later ``can-i-release`` calls compare against.
A version with no recorded run cannot be marked released (exit 4).
"""

from __future__ import annotations

import argparse

from conformance.errors import UsageError
from conformance.history.release_gate import resolve_target
from conformance.history.store import open_history

NAME = "record-release"
HELP = "mark version V as released to an environment (compared against by can-i-release)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--history", metavar="URL", required=True, help="the history: SQLite file or postgresql:// URL")
    parser.add_argument("--target-version", metavar="V", required=True, help="the version released")
    parser.add_argument("--environment", metavar="ENV", required=True, help="where it was released, e.g. production")
    parser.add_argument("--target", metavar="BASE_URL", help="the target (needed when V was recorded for several)")


def execute(args: argparse.Namespace) -> int:
    """Record the release; return 0."""
    with open_history(args.history) as store:
        target = resolve_target(store, args.target_version, args.target)
        runs = store.runs(target=target, version=args.target_version, limit=1) if target else []
        if not runs:
            raise UsageError(
                f"no run of version {args.target_version} is recorded in {store.location.display}: "
                "record one with run --history first"
            )
        release = store.record_release(runs[0].target, args.target_version, args.environment, runs[0].id)
    print(
        f"recorded release #{release.id}: {release.target_version} of {release.target} to {release.environment} "
        f"(run #{release.run_id})"
    )
    return 0
