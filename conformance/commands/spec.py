"""The `crux-conformance spec` command: write (or ``--check``) the OpenAPI document made from the docs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.errors import ExitCode, UsageError

NAME = "spec"
HELP = "generate the OpenAPI 3.1 document from a Jekyll docs tree (or check it for drift)"
DEFAULT_OUT = Path("specs/openapi.yaml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--docs", type=Path, required=True, metavar="DIR", help="the Jekyll docs folder")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, metavar="FILE", help=f"output file (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a unified diff when FILE differs from the regenerated document",
    )
    parser.add_argument("--strict", action="store_true", help="fail (exit 4) on any warning")


def execute(args: argparse.Namespace) -> int:
    """Generate the document; write it, or compare it with ``--out`` under ``--check``."""
    # Imported here: the spec generator (and its OpenAPI validator) costs every other command ~0.5 s to import.
    from conformance.specgen import generate, render
    from conformance.specgen.diagnostics import Diagnostics
    from conformance.specgen.drift import drift

    diagnostics = Diagnostics()
    try:
        generated = generate(args.docs, diagnostics)
    finally:
        for diagnostic in diagnostics.items:
            print(diagnostic, file=sys.stderr)
    failures = diagnostics.strict_failures
    if args.strict and failures:
        raise UsageError(f"{len(failures)} warning(s) or skipped file(s) and --strict was given")
    text = render(generated.document)
    if args.check:
        difference = drift(text, args.out)
        if difference:
            sys.stdout.write(difference)
            print(f"{args.out} is out of date: run 'crux-conformance spec --docs {args.docs}'", file=sys.stderr)
            return int(ExitCode.NOT_CONFORMANT)
        print(f"{args.out} is up to date ({generated.operation_count} operations)", file=sys.stderr)
        return int(ExitCode.CONFORMANT)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {args.out}: {error.strerror or error}") from error
    print(f"wrote {args.out} ({generated.operation_count} operations)", file=sys.stderr)
    return int(ExitCode.CONFORMANT)
