"""The `crux-conformance verify CERTIFICATE` command: VALID, or what does not match.

Checks the sha256 of ``results.json`` and ``exchanges.jsonl`` (in ``--reports`` or beside the
certificate), each requirement's verdict against ``results.json``'s tests, and with ``--public-key``
the Ed25519 signature. Exit 0 valid, 1 invalid, 4 bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from conformance.errors import ExitCode
from conformance.verification import verify_certificate

NAME = "verify"
HELP = "check a certificate's report digests and (with --public-key) its signature: VALID or what broke"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("certificate", metavar="CERTIFICATE", type=Path, help="certificate.json or its report folder")
    parser.add_argument("--public-key", metavar="FILE", type=Path, help="the signer's public key (PEM)")
    parser.add_argument("--reports", metavar="DIR", type=Path, help="the run's report folder (default: beside it)")


def execute(args: argparse.Namespace) -> int:
    """Print VALID or INVALID with one line per problem; return 0 or 1."""
    result = verify_certificate(args.certificate, public_key=args.public_key, reports=args.reports)
    if result.valid:
        print(f"VALID: {args.certificate}")
    else:
        print(f"INVALID: {args.certificate}")
        for problem in result.problems:
            print(f"- {problem}")
    for note in result.notes:
        print(f"note: {note}")
    return int(ExitCode.CONFORMANT if result.valid else ExitCode.NOT_CONFORMANT)
