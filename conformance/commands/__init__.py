"""One module per `crux-conformance` subcommand.

Each module exposes ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``execute(args) -> int``;
``conformance.cli`` discovers them from ``COMMANDS`` below.
"""

COMMANDS = ("spec", "serve", "run", "model")
