"""The `crux-conformance spec` command (placeholder until its issue lands)."""

from __future__ import annotations

import argparse

from conformance.errors import UsageError

NAME = "spec"
HELP = "spec (not built yet)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""


def execute(args: argparse.Namespace) -> int:
    """Run the command."""
    raise UsageError("'spec' is not built yet")
