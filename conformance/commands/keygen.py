"""The `crux-conformance keygen --out PREFIX` command: a new Ed25519 key pair for signing certificates.

Writes ``PREFIX`` (the private key, PEM, mode 0600) and ``PREFIX.pub`` (the public key, PEM); refuses
to overwrite either. Prints the key's fingerprint, which signed certificates show.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from conformance import signing

NAME = "keygen"
HELP = "write a new Ed25519 signing key: PREFIX (private, 0600) and PREFIX.pub"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--out", metavar="PREFIX", type=Path, required=True, help="where the key files go")


def execute(args: argparse.Namespace) -> int:
    """Write the key pair; return 0."""
    private_path, public_path = signing.generate_key_pair(args.out)
    print(f"wrote {private_path} (private, keep it secret) and {public_path}")
    print(f"fingerprint {signing.fingerprint(signing.load_public_key(public_path))}")
    return 0
