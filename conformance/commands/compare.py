"""The `crux-conformance compare OLD NEW` command: per-requirement transitions between two runs.

OLD and NEW are report folders or ``certificate.json`` files. Exit 1 when any requirement regressed,
0 otherwise, 4 on bad input. In GitHub Actions (``GITHUB_STEP_SUMMARY`` set) the Markdown form is
appended to the job summary whatever ``--format`` prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from conformance.errors import ExitCode
from conformance.history.certificates import load_certificate, requirement_outcomes
from conformance.history.compare import RENDERERS, compare_outcomes, render_markdown
from conformance.history.step_summary import append_step_summary

NAME = "compare"
HELP = "compare two runs (report folders or certificate.json) requirement by requirement; exit 1 on a regression"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("old", metavar="OLD", type=Path, help="the earlier run: a report folder or certificate.json")
    parser.add_argument("new", metavar="NEW", type=Path, help="the later run: a report folder or certificate.json")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default: text)")


def execute(args: argparse.Namespace) -> int:
    """Print the comparison; return 1 when a requirement regressed, else 0."""
    old, new = load_certificate(args.old), load_certificate(args.new)
    comparison = compare_outcomes(
        requirement_outcomes(old), requirement_outcomes(new), old_label=str(args.old), new_label=str(args.new)
    )
    print(RENDERERS[args.format](comparison), end="")
    append_step_summary(render_markdown(comparison))
    return int(ExitCode.NOT_CONFORMANT if comparison.regressed else ExitCode.CONFORMANT)
