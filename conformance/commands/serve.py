"""The `crux-conformance serve` command (placeholder until its issue lands)."""

from __future__ import annotations

import argparse

from conformance.errors import UsageError

NAME = "serve"
HELP = "serve (not built yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""


def execute(args: argparse.Namespace) -> int:
    """Run the command."""
    raise UsageError("'serve' is not built yet")
