"""One module per `crux-conformance` subcommand.

Each module exposes ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``execute(args) -> int``;
``conformance.cli`` discovers them from ``COMMANDS`` below; a hyphenated command lives in the module
of the same name with underscores (``can-i-release`` → ``can_i_release``).
"""

COMMANDS = (
    "spec", "serve", "run", "model", "compare", "history", "can-i-release", "record-release", "verify", "keygen",
)
