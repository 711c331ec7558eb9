"""The `crux-conformance serve` command: run the bundled reference implementation in the foreground."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.errors import UsageError

NAME = "serve"
HELP = "run the bundled reference implementation (Django REST framework on waitress)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind, 0 for any free one (default: 8000)")
    parser.add_argument("--provider-states", action="store_true",
                        help="enable the test-only endpoint POST /__conformance__/provider-states")
    parser.add_argument("--write-config", metavar="FILE", type=Path,
                        help="write a ready conformance.toml for this server (with its credentials) to FILE")
    parser.add_argument("--token-lifetime", metavar="SECONDS", type=int, default=None,
                        help="how long issued tokens stay valid (default: CRUX_REFERENCE_TOKEN_LIFETIME or 7200)")
    parser.add_argument("--threads", type=int, default=16, help="worker threads (default: 16)")


def execute(args: argparse.Namespace) -> int:
    """Start the reference, print where it listens, serve until interrupted."""
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    if args.token_lifetime is not None and args.token_lifetime <= 0:
        raise UsageError(f"--token-lifetime must be a positive number of seconds, got {args.token_lifetime}")
    if args.threads < 1:
        raise UsageError(f"--threads must be at least 1, got {args.threads}")
    from conformance.reference import ReferenceServer

    server = ReferenceServer(host=args.host, port=args.port, provider_states=args.provider_states,
                             threads=args.threads, token_lifetime_seconds=args.token_lifetime)
    if args.write_config is not None:
        try:
            args.write_config.write_text(server.config_toml(), encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.write_config}: {error.strerror or error}") from None
    print(f"crux-conformance reference listening on {server.base_url}", flush=True)
    print(f"  roles: {', '.join(server.credentials)} (secrets not shown; see --write-config)", flush=True)
    if server.state_url:
        print(f"  provider states: POST {server.state_url}", flush=True)
    if args.write_config is not None:
        print(f"  config written to {args.write_config}", flush=True)
    print("  press Ctrl+C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0
