"""The `crux-conformance serve` command: run the bundled reference implementation in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.errors import UsageError

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
            server.stop()
            raise UsageError(f"cannot write {args.write_config}: {error.strerror or error}") from None
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        _print_banner(server, args.write_config)
        server.serve_forever()
    print("crux-conformance reference stopped", file=sys.stderr, flush=True)
    return 0


def _print_banner(server: ReferenceServer, config_file: Path | None) -> None:
    """Say where the server listens and which roles exist; never print a secret."""
    print(f"crux-conformance reference listening on {server.base_url}", flush=True)
    print(f"  roles: {', '.join(server.credentials)} (secrets not shown; see --write-config)", flush=True)
    if server.state_url:
        print(f"  provider states: POST {server.state_url}", flush=True)
    if config_file is not None:
        print(f"  config written to {config_file}", flush=True)
    print(f"  database: {server.database_description}", flush=True)
    print("  press Ctrl+C to stop", flush=True)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """Turn SIGTERM into the same clean stop as Ctrl+C."""
    raise SystemExit(0)
