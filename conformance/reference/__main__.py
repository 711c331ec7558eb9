"""``python -m conformance.reference``: ``crux-conformance serve`` without importing the other commands.

``conformance.reference.process`` starts the bundled reference this way: the child needs Django and
waitress, not pytest, Schemathesis and the spec generator that the full command line imports.
"""

import argparse
import sys

from conformance.commands import serve
from conformance.errors import ConformanceError


def main() -> int:
    """Parse the serve command's options and run it; errors are one line with the contract's exit code."""
    parser = argparse.ArgumentParser(prog="crux-conformance serve", description=serve.HELP)
    serve.add_arguments(parser)
    try:
        return int(serve.execute(parser.parse_args()))
    except ConformanceError as error:
        print(f"crux-conformance: error: {error.message}", file=sys.stderr)
        return int(error.exit_code)


sys.exit(main())
