"""The `crux-conformance history` command: the per-requirement trend over the last N runs.

Prints a text table; ``--html FILE`` also writes a self-contained page with a pass/fail chart per run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from conformance.errors import UsageError
from conformance.history import trend
from conformance.history.store import open_history

NAME = "history"
HELP = "the per-requirement trend over the last runs (text; --html FILE for a page with a chart)"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of runs, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--history", metavar="URL", required=True, help="the history: SQLite file or postgresql:// URL")
    parser.add_argument("--target", metavar="BASE_URL", help="only runs of this target")
    parser.add_argument("--target-version", metavar="V", help="only runs of this version")
    parser.add_argument("--last", metavar="N", type=_positive, default=10, help="how many runs (default: 10)")
    parser.add_argument("--html", metavar="FILE", type=Path, help="also write the trend as an HTML page")


def execute(args: argparse.Namespace) -> int:
    """Print the trend table (and write the page); return 0."""
    with open_history(args.history) as store:
        runs = store.runs(target=args.target, version=args.target_version, limit=args.last)
        where = store.location.display
    print(trend.render_text(runs), end="")
    if args.html is not None:
        subtitle = f"{len(runs)} most recent runs in {where}" + (f" of {args.target}" if args.target else "")
        try:
            args.html.write_text(trend.render_html(runs, subtitle=subtitle), encoding="utf-8")
        except OSError as error:
            raise UsageError(f"--html {args.html}: cannot write it ({error.strerror})") from None
        print(f"wrote {args.html}")
    return 0
