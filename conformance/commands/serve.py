"""The `crux-conformance serve` command: run the bundled reference implementation in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.errors import UsageError
from conformance.private_files import write_private_text
from conformance.reference.exposure import require_secret_when_exposed
from conformance.reference.stop_signals import install_stop_handlers
from conformance.state_secret import SECRET_ENVIRONMENT_VARIABLE, SECRET_HEADER

if TYPE_CHECKING:
    from conformance.reference import ReferenceServer

NAME = "serve"
HELP = "run the bundled reference implementation (Django REST framework on waitress)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind, 0 for any free one (default: 8000)")
    parser.add_argument("--provider-states", action="store_true",
                        help="enable the test-only endpoint POST /__conformance__/provider-states")
    parser.add_argument("--provider-states-secret", metavar="SECRET",
                        help=f"provider-states calls must send it in {SECRET_HEADER} (required on a non-loopback "
                             f"--host; default: ${SECRET_ENVIRONMENT_VARIABLE})")
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
    secret = args.provider_states_secret or os.environ.get(SECRET_ENVIRONMENT_VARIABLE, "").strip() or None
    require_secret_when_exposed(args.host, args.provider_states, secret)
    install_stop_handlers()  # before the slow start, so an early Ctrl+C stops it too
    from conformance.reference import ReferenceServer

    server = ReferenceServer(host=args.host, port=args.port, provider_states=args.provider_states,
                             threads=args.threads, token_lifetime_seconds=args.token_lifetime,
                             provider_states_secret=secret if args.provider_states else None)
    if args.write_config is not None:
        try:
            write_private_text(args.write_config, server.config_toml())
        except OSError as error:
            server.stop()
            raise UsageError(f"cannot write {args.write_config}: {error.strerror or error}") from None
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        _print_banner(server, args.write_config)
        server.serve_forever()
    print("crux-conformance reference stopped", file=sys.stderr, flush=True)
    return 0


def _print_banner(server: ReferenceServer, config_file: Path | None) -> None:
    """Say where the server listens and which roles exist; never print a secret."""
    reach = f" (from this machine: {server.base_url})" if server.bound_url != server.base_url else ""
    print(f"crux-conformance reference listening on {server.bound_url}{reach}", flush=True)
    print(f"  roles: {', '.join(server.credentials)} (secrets not shown; see --write-config)", flush=True)
    if server.state_url:
        guarded = f", {SECRET_HEADER} required" if server.provider_states_secret else ""
        print(f"  provider states: POST {server.state_url}{guarded}", flush=True)
    if config_file is not None:
        print(f"  config written to {config_file}", flush=True)
    print(f"  database: {server.database_description}", flush=True)
    print("  press Ctrl+C to stop", flush=True)
