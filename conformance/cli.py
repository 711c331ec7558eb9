"""The ``crux-conformance`` command: dispatches to one module per subcommand, maps errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from conformance import __version__
from conformance.commands import COMMANDS
from conformance.debug_log import unexpected_error_line, write_debug_log
from conformance.errors import ConformanceError, ExitCode

PROG = "crux-conformance"
DEBUG_HELP = "show the traceback of an unexpected error (without it: one line and a debug log, exit 2)"


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors end with the contract's exit code 4."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with one subparser per command module."""
    parser = _Parser(prog=PROG, description="Conformance suite for CRUX TIMP Reject Order Cancelation.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"conformance.commands.{name.replace('-', '_')}")
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
        sub.set_defaults(_execute=module.execute)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in args_list:
        split = args_list.index("--")
        args_list, passthrough = args_list[:split], args_list[split + 1 :]
    parser = build_parser()
    args = parser.parse_args(args_list)
    args.passthrough = passthrough
    try:
        return int(args._execute(args))
    except ConformanceError as error:
        print(f"{PROG}: error: {error.message}", file=sys.stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; exit 2", file=sys.stderr)
        return int(ExitCode.CANNOT_JUDGE)
    except Exception as error:  # anything unforeseen: one line and a debug log, unless --debug asks for the traceback
        if args.debug:
            raise
        print(f"{PROG}: {unexpected_error_line(error, write_debug_log(error, args_list))}", file=sys.stderr)
        return int(ExitCode.CANNOT_JUDGE)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
