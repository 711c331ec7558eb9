"""``python -m conformance.reference``: ``crux-conformance serve`` without importing the other commands.

``conformance.reference.process`` starts the bundled reference this way: the child needs Django and
waitress, not pytest, Schemathesis and the spec generator that the full command line imports. With
``--stop-when-stdin-closes`` the server stops (as on SIGTERM) once its standard input reaches end of file,
which happens when the process that started it exits, however it exits: a killed run leaves no server behind.
"""

import argparse
import os
import signal
import sys
import threading

from conformance.commands import serve
from conformance.errors import ConformanceError


def main() -> int:
    """Parse the serve command's options and run it; errors are one line with the contract's exit code."""
    parser = argparse.ArgumentParser(prog="crux-conformance serve", description=serve.HELP)
    serve.add_arguments(parser)
    parser.add_argument("--stop-when-stdin-closes", action="store_true", help="stop when standard input closes")
    args = parser.parse_args()
    if args.stop_when_stdin_closes:
        threading.Thread(target=_stop_at_stdin_eof, name="crux-reference-stdin", daemon=True).start()
    try:
        return int(serve.execute(args))
    except ConformanceError as error:
        print(f"crux-conformance: error: {error.message}", file=sys.stderr)
        return int(error.exit_code)


def _stop_at_stdin_eof() -> None:
    """Block until standard input closes, then stop the server as SIGTERM does."""
    with open(sys.stdin.fileno(), "rb", buffering=0, closefd=False) as stdin:
        while stdin.read(4096):
            pass
    os.kill(os.getpid(), signal.SIGTERM)


sys.exit(main())
