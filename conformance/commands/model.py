"""The `crux-conformance model --table [--format md|json]` command: print the contract's executable model."""

from __future__ import annotations

import argparse
import sys

from conformance.errors import ExitCode, UsageError
from conformance.model import table

NAME = "model"
HELP = "print the contract's executable model as a table (actor x order x request -> allowed answers)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--table", action="store_true", help="print the model as a table")
    parser.add_argument("--format", choices=("md", "json"), default="md", help="md (default) or json")


def execute(args: argparse.Namespace) -> int:
    """Print the table in the chosen format, and its digest on stderr."""
    if not args.table:
        raise UsageError("model: nothing to do; pass --table")
    sys.stdout.write(table.as_json() + "\n" if args.format == "json" else table.as_markdown())
    print(f"model digest sha256:{table.digest()} ({len(table.rows())} cells)", file=sys.stderr)
    return int(ExitCode.CONFORMANT)
