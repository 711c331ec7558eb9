"""The `crux-conformance run` command (placeholder until its issue lands)."""

from __future__ import annotations

import argparse

from conformance.errors import UsageError

NAME = "run"
HELP = "run (not built yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""


def execute(args: argparse.Namespace) -> int:
    """Run the command."""
    raise UsageError("'run' is not built yet")
